package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fetchstats.app.Pipeline;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.PoisonRecords;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline (ingest and process in this JVM) against a real Kafka broker and a real HTTP
 * server on loopback. Subclasses say which broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
abstract class PipelineContract {
  private static final int CSV_FILES = 6;
  private static final int TEXT_FILES = 4;
  private static final String WORDS = "/words.txt";
  private static final String BINARY = "/hostile/random.csv";
  private static final String UTF16 = "/hostile/utf-16.csv";
  private static final String WIDE = "/hostile/3000-keys.ndjson";

  private final Map<String, SampleServer.Resource> files = new HashMap<>();
  private final Map<String, List<Double>> valuesByField = new HashMap<>();
  private SampleServer http;
  private FetchStatsConfig config;
  private Topics topics;
  private Pipeline pipeline;

  abstract String bootstrapServers();

  @BeforeAll
  void startPipeline(@TempDir Path dataDir) {
    generateData(new SplittableRandom(2026));
    http = SampleServer.start(files);
    config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers(bootstrapServers())
                        .topicPrefix("it-" + UUID.randomUUID().toString().substring(0, 8) + "."))
            .dataDir(dataDir)
            .fetch(
                fetch ->
                    fetch
                        .chunkBytes(2048) // many chunks per file, spread over the partitions
                        .allowPrivateNetworks(true) // the test server is on loopback
                        .retryBackoff(Duration.ofMillis(20)))
            .instanceId("it")
            .build();
    topics = Topics.of(config);
    pipeline = Pipeline.start(config);
  }

  @AfterAll
  void stopPipeline() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (http != null) {
      http.close();
    }
  }

  /** The CSV and text files, which hold numbers. */
  private List<String> goodUrls() {
    return files.keySet().stream()
        .filter(path -> path.startsWith("/csv-") || path.startsWith("/text-"))
        .sorted()
        .map(path -> http.baseUrl() + path)
        .toList();
  }

  @Test
  void aJobsStatisticsEqualAnExactReferenceBitForBit() {
    JobResult job = submitAndAwait(goodUrls());

    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(CSV_FILES + TEXT_FILES);
    assertThat(job.getUrlsFailed()).isZero();
    assertThat(job.getChunks()).isGreaterThan(CSV_FILES + TEXT_FILES);
    assertThat(job.getFields())
        .extracting(FieldResult::getName)
        .containsExactly("a", "b", "label", "value");
    for (String name : List.of("a", "b", "value")) {
      FieldResult field = field(job, name);
      Reference expected = Reference.of(valuesByField.get(name));
      assertThat(field.getCount()).as(name).isEqualTo(expected.count());
      assertThat(bits(field.getSum())).as(name + " sum").isEqualTo(bits(expected.sum()));
      assertThat(bits(field.getMean())).as(name + " mean").isEqualTo(bits(expected.mean()));
      assertThat(bits(field.getMin())).as(name + " min").isEqualTo(bits(expected.min()));
      assertThat(bits(field.getMax())).as(name + " max").isEqualTo(bits(expected.max()));
      assertThat(bits(field.getVarianceSample()))
          .as(name + " variance")
          .isEqualTo(bits(expected.sampleVariance()));
      double[] sorted =
          valuesByField.get(name).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = sorted[(sorted.length - 1) / 2];
      double nextToMedian = sorted[sorted.length / 2];
      assertThat(field.getPercentileRelativeAccuracy()).isEqualTo(0.01);
      assertThat(
              Math.abs(field.getP50() - median) <= 0.0100001 * Math.abs(median)
                  || Math.abs(field.getP50() - nextToMedian) <= 0.0100001 * Math.abs(nextToMedian))
          .as(name + " p50 %s, median %s", field.getP50(), median)
          .isTrue();
      assertThat(field.getHistogram().getMin()).isEqualTo(field.getMin());
      assertThat(field.getHistogram().getCounts().stream().mapToLong(Long::longValue).sum())
          .as(name + " histogram")
          .isEqualTo(expected.count());
    }
    FieldResult label = field(job, "label");
    assertThat(label.getCount()).isZero();
    assertThat(label.getHistogram()).isNull();
    assertThat(label.getNonNumeric()).isEqualTo(valuesByField.get("a").size());
  }

  @Test
  void badInputEndsAsCountedExplainedFailuresAndTheJobCompletes() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    List<String> urls =
        List.of(
            "http://exa mple.org/data.csv",
            "http://127.0.0.1:" + closedPort + "/refused.csv",
            http.baseUrl() + "/missing.csv",
            http.baseUrl() + WORDS,
            http.baseUrl() + "/text-0.txt");

    JobResult job = submitAndAwait(urls);

    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsCompleted()).isEqualTo(5);
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getUrlsFailed()).isEqualTo(4);
    assertThat(job.getFailures())
        .extracting(UrlFailure::getUrl, UrlFailure::getErrorClass)
        .containsExactlyInAnyOrder(
            tuple("http://exa mple.org/data.csv", "INVALID_URL"),
            tuple("http://127.0.0.1:" + closedPort + "/refused.csv", "CONNECT"),
            tuple(http.baseUrl() + "/missing.csv", "HTTP_STATUS"),
            tuple(http.baseUrl() + WORDS, "NO_NUMBERS"));
    assertThat(job.getFailures())
        .allSatisfy(failure -> assertThat(failure.getError()).isNotBlank());
    assertThat(field(job, "value").getCount()).isEqualTo(valuesByField.get("text-0").size());
  }

  @Test
  void faultsOfTheServerEndAsExplainedFailuresAndTheJobCompletes() {
    String base = http.baseUrl() + "/gen/csv?bytes=20000&";
    Map<String, String> expected = new HashMap<>();
    expected.put(base + "fault=reset", "CONNECTION_RESET");
    expected.put(base + "fault=truncate", "TRUNCATED");
    expected.put(http.baseUrl() + "/gen/text?fault=gzip-bomb", "TOO_LARGE");
    expected.put(http.baseUrl() + "/gen/text?fault=bad-gzip", "DECODE_ERROR");
    expected.put(base + "fault=redirect-loop", "TOO_MANY_REDIRECTS");
    expected.put(base + "status=500", "HTTP_STATUS");
    List<String> recovering =
        List.of(base + "status=503&failures=2", base + "encoding=gzip", base + "redirects=3");
    List<String> urls = new ArrayList<>(expected.keySet());
    urls.addAll(recovering);

    JobResult job = submitAndAwait(urls);

    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(recovering.size());
    assertThat(job.getFailures())
        .extracting(UrlFailure::getUrl, UrlFailure::getErrorClass)
        .containsExactlyInAnyOrderElementsOf(
            expected.entrySet().stream().map(e -> tuple(e.getKey(), e.getValue())).toList());
    assertThat(job.getFailures()).allSatisfy(f -> assertThat(f.getError()).isNotBlank());
    assertThat(field(job, "value").getCount()).isPositive();
  }

  @Test
  void aUrlListedTwiceIsFetchedAndCountedOnce() {
    String jobId = "twice-" + UUID.randomUUID().toString().substring(0, 8);
    String url = http.baseUrl() + "/text-1.txt";
    sendPlainText(jobId, url + "\n" + url + "\n" + url + "\n");

    JobResult job = awaitUrlsCompleted(jobId, 3);
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getUrlsDuplicate()).isEqualTo(2);
    assertThat(field(job, "value").getCount()).isEqualTo(valuesByField.get("text-1").size());
  }

  @Test
  void plainTextFromAnyProducerMakesAnOpenEndedJob() {
    String jobId = "plain-" + UUID.randomUUID().toString().substring(0, 8);
    String lines =
        "# two files\n" + http.baseUrl() + "/text-2.txt\n\n" + http.baseUrl() + "/text-3.txt\n";
    sendPlainText(jobId, lines);

    JobResult job = awaitUrlsCompleted(jobId, 2);
    assertThat(job.getComplete()).isFalse();
    assertThat(job.getUrlsExpected()).isNull();
    assertThat(field(job, "value").getCount())
        .isEqualTo(valuesByField.get("text-2").size() + valuesByField.get("text-3").size());
  }

  @Test
  void noRecordOnAnInputTopicStopsThePipelineAndHostileBodiesCountNothing() throws Exception {
    Map<String, List<PoisonRecords.Poison>> poisonByTopic = new LinkedHashMap<>();
    poisonByTopic.put(topics.jobs().name(), PoisonRecords.jobs());
    poisonByTopic.put(topics.urls().name(), PoisonRecords.urls());
    poisonByTopic.put(topics.chunks().name(), PoisonRecords.chunks());
    poisonByTopic.put(topics.fetches().name(), PoisonRecords.fetches());
    Map<String, PoisonRecords.Poison> sent = new HashMap<>(); // by topic-partition@offset
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, List<PoisonRecords.Poison>> topic : poisonByTopic.entrySet()) {
        for (PoisonRecords.Poison poison : topic.getValue()) {
          RecordMetadata written =
              producer
                  .send(new ProducerRecord<>(topic.getKey(), poison.key(), poison.value()))
                  .get();
          sent.put(where(written.topic(), written.partition(), written.offset()), poison);
        }
      }
    }
    List<String> urls = new ArrayList<>(goodUrls());
    urls.add(http.baseUrl() + BINARY);
    urls.add(http.baseUrl() + UTF16);
    urls.add(http.baseUrl() + WIDE);

    // The pipeline goes on: a job submitted after the poison completes, exactly.
    JobResult job = submitAndAwait(urls);

    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(CSV_FILES + TEXT_FILES + 1);
    assertThat(job.getFailures())
        .extracting(UrlFailure::getUrl, UrlFailure::getErrorClass)
        .containsExactly( // in URL order
            tuple(http.baseUrl() + WIDE, "TOO_MANY_FIELDS"),
            tuple(http.baseUrl() + BINARY, "NOT_TEXT"));
    assertThat(job.getFailures().get(1).getError()).startsWith("binary body: a NUL byte at offset");
    // Nothing of the binary body (served as CSV) or the wide one became a field.
    assertThat(job.getFields())
        .extracting(FieldResult::getName)
        .containsExactly("a", "b", "label", "u16", "value");
    for (String name : List.of("a", "b", "u16", "value")) {
      Reference expected = Reference.of(valuesByField.get(name));
      assertThat(field(job, name).getCount()).as(name).isEqualTo(expected.count());
      assertThat(bits(field(job, name).getSum())).as(name).isEqualTo(bits(expected.sum()));
      assertThat(bits(field(job, name).getVarianceSample()))
          .as(name)
          .isEqualTo(bits(expected.sampleVariance()));
    }

    Properties consumerProps = KafkaClients.readCommittedConsumer(config, "it-dead-letters");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.deadLetters().name()));
      Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> letter :
                    consumer.poll(Duration.ofMillis(200))) {
                  letters.put(
                      where(
                          header(letter, DeadLetters.TOPIC),
                          Integer.parseInt(header(letter, DeadLetters.PARTITION)),
                          Long.parseLong(header(letter, DeadLetters.OFFSET))),
                      letter);
                }
                return letters.keySet().containsAll(sent.keySet());
              });
      sent.forEach(
          (where, poison) -> {
            ConsumerRecord<byte[], byte[]> letter = letters.get(where);
            assertThat(letter.value()).as(poison.what()).isEqualTo(poison.value());
            assertThat(letter.key()).as(poison.what()).isEqualTo(poison.key());
            assertThat(header(letter, DeadLetters.EXCEPTION))
                .as(poison.what())
                .isIn(
                    SerializationException.class.getName(), InvalidRecordException.class.getName());
            assertThat(header(letter, DeadLetters.MESSAGE)).as(poison.what()).isNotBlank();
          });
    }
  }

  private static String where(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** Feeds the urls topic as any Kafka producer can: plain text, the job id as key. */
  private void sendPlainText(String jobId, String lines) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.urls().name(), utf8(jobId), utf8(lines)));
    }
  }

  /** The result of an open-ended job once {@code urls} of its URLs completed. */
  private JobResult awaitUrlsCompleted(String jobId, int urls) {
    return await()
        .atMost(JobRuns.JOB_TIMEOUT)
        .until(
            () -> {
              try (ResultsReader reader = new ResultsReader(config, jobId)) {
                return reader.latest().orElse(null);
              }
            },
            result -> result != null && result.getUrlsCompleted() == urls);
  }

  /**
   * What the README tells a program in another language to do: read job-results with a plain
   * consumer, check the single-object marker and the writer schema's fingerprint, and decode the
   * rest with the schema files alone (no generated classes, no registry).
   */
  @Test
  void jobResultsAreReadWithTheSchemaFilesAlone() throws IOException {
    JobResult expected = submitAndAwait(List.of(http.baseUrl() + "/text-1.txt"));
    Schema.Parser parser = new Schema.Parser();
    Schema schema = null;
    for (String name : List.of("Histogram", "FieldResult", "UrlFailure", "JobResult")) {
      schema = parser.parse(Path.of("schemas", name + ".avsc").toFile());
    }
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);

    Properties props = KafkaClients.readCommittedConsumer(config, "it-other-language");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.jobResults().name()));
      List<GenericRecord> complete = new ArrayList<>();
      await()
          .atMost(JobRuns.JOB_TIMEOUT)
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  byte[] value = record.value();
                  assertThat(value[0] & 0xff).isEqualTo(0xC3);
                  assertThat(value[1] & 0xff).isEqualTo(0x01);
                  assertThat(ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                      .as("the writer schema's CRC-64-AVRO fingerprint")
                      .isEqualTo(fingerprint);
                  GenericRecord job =
                      reader.read(
                          null,
                          DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
                  if (job.get("jobId").toString().equals(expected.getJobId())
                      && (Boolean) job.get("complete")) {
                    complete.add(job);
                  }
                }
                return !complete.isEmpty();
              });
      GenericRecord job = complete.get(0);
      assertThat(job.get("urlsSucceeded")).isEqualTo(expected.getUrlsSucceeded());
      GenericRecord field = (GenericRecord) ((List<?>) job.get("fields")).get(0);
      assertThat(field.get("name").toString()).isEqualTo(expected.getFields().get(0).getName());
      assertThat(field.get("mean")).isEqualTo(expected.getFields().get(0).getMean());
      assertThat(field.get("p99")).isEqualTo(expected.getFields().get(0).getP99());
    }
  }

  private JobResult submitAndAwait(List<String> urls) {
    return JobRuns.awaitComplete(config, JobRuns.submit(config, urls));
  }

  /**
   * CSV files with columns a, b (numbers of every magnitude and sign) and label; text files of
   * numbers.
   */
  private void generateData(SplittableRandom random) {
    for (int f = 0; f < CSV_FILES; f++) {
      StringBuilder csv = new StringBuilder("a,label,b\n");
      for (int row = 0; row < 300; row++) {
        double a = interesting(random);
        double b = random.nextInt(1000) - 500;
        csv.append(a).append(",name-").append(row).append(',').append((long) b).append('\n');
        valuesByField.computeIfAbsent("a", k -> new ArrayList<>()).add(a);
        valuesByField.computeIfAbsent("b", k -> new ArrayList<>()).add(b);
      }
      files.put("/csv-" + f + ".csv", new SampleServer.Resource("text/csv", utf8(csv.toString())));
    }
    for (int f = 0; f < TEXT_FILES; f++) {
      StringBuilder text = new StringBuilder();
      List<Double> fileValues = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        double v = interesting(random);
        text.append(v).append(i % 8 == 7 ? "\n" : " ");
        fileValues.add(v);
      }
      valuesByField.computeIfAbsent("value", k -> new ArrayList<>()).addAll(fileValues);
      valuesByField.put("text-" + f, fileValues);
      files.put(
          "/text-" + f + ".txt", new SampleServer.Resource("text/plain", utf8(text.toString())));
    }
    files.put(WORDS, new SampleServer.Resource("text/plain", utf8("alpha beta gamma\n")));
    byte[] binary = new byte[300_000];
    random.nextBytes(binary);
    files.put(BINARY, new SampleServer.Resource("text/csv", binary));
    StringBuilder utf16 = new StringBuilder("u16,label\n");
    for (int row = 0; row < 500; row++) {
      double value = interesting(random);
      utf16.append(value).append(",Zürich ").append(row).append('\n');
      valuesByField.computeIfAbsent("u16", k -> new ArrayList<>()).add(value);
    }
    byte[] text = utf16.toString().getBytes(StandardCharsets.UTF_16LE);
    byte[] marked = new byte[text.length + 2];
    marked[0] = (byte) 0xFF;
    marked[1] = (byte) 0xFE;
    System.arraycopy(text, 0, marked, 2, text.length);
    files.put(UTF16, new SampleServer.Resource("text/csv", marked));
    // 3,000 keys, 100 new ones a line: each chunk under the limit of fields, the body over it.
    StringBuilder wide = new StringBuilder();
    for (int line = 0; line < 30; line++) {
      for (int key = 0; key < 100; key++) {
        wide.append(key == 0 ? "{" : ",").append("\"k").append(line * 100 + key).append("\":1");
      }
      wide.append("}\n");
    }
    files.put(WIDE, new SampleServer.Resource("application/x-ndjson", utf8(wide.toString())));
  }

  /** Values that make naive floating-point sums differ from exact ones. */
  private static double interesting(SplittableRandom random) {
    double mantissa = random.nextDouble(-1, 1);
    return switch (random.nextInt(5)) {
      case 0 -> mantissa * 1e16;
      case 1 -> mantissa * 1e-8;
      case 2 -> Math.scalb(mantissa, random.nextInt(-60, 60));
      case 3 -> -0.0;
      default -> Double.parseDouble(String.format(Locale.ROOT, "%.3f", mantissa * 1000));
    };
  }

  private static FieldResult field(JobResult job, String name) {
    return job.getFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }

  private static long bits(Double value) {
    return Double.doubleToRawLongBits(value);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The statistics computed independently, with exact decimal arithmetic. */
  record Reference(
      long count, double sum, double mean, double min, double max, double sampleVariance) {
    private static final MathContext WIDE = new MathContext(1200);

    static Reference of(List<Double> values) {
      BigDecimal sum = BigDecimal.ZERO;
      BigDecimal sumOfSquares = BigDecimal.ZERO;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        BigDecimal exact = new BigDecimal(v);
        sum = sum.add(exact);
        sumOfSquares = sumOfSquares.add(exact.multiply(exact));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      BigDecimal n = BigDecimal.valueOf(values.size());
      BigDecimal variance =
          n.multiply(sumOfSquares)
              .subtract(sum.multiply(sum))
              .divide(n.multiply(n.subtract(BigDecimal.ONE)), WIDE);
      // An exact zero sum is +0.0; BigDecimal.doubleValue() of zero is +0.0 too.
      return new Reference(
          values.size(),
          sum.doubleValue(),
          sum.divide(n, WIDE).doubleValue(),
          min,
          max,
          variance.doubleValue());
    }
  }
}
