package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.Topics;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real topology, with its production names, driven by TopologyTestDriver. */
class ProcessTopologyTest {
  private static final Instant SUBMITTED = Instant.parse("2026-11-27T10:00:00Z");
  private static final String JOB = "job-1";

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> chunks;
  private TestInputTopic<String, byte[]> fetches;
  private TestInputTopic<String, byte[]> jobs;
  private TestOutputTopic<String, JobResult> jobResults;
  private TestOutputTopic<String, UrlResult> urlResults;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void startDriver() {
    startDriver(FetchStatsConfig.builder().dataDir(stateDir).instanceId("test").build());
  }

  private void startDriver(FetchStatsConfig config) {
    Properties props = ProcessorApp.streamsProperties(config, "unused:9092");
    driver =
        new TopologyTestDriver(
            ProcessTopology.build(config, new ProcessMetrics(new SimpleMeterRegistry())), props);
    Topics topics = config.topics();
    chunks =
        driver.createInputTopic(topics.chunks(), new StringSerializer(), new ByteArraySerializer());
    fetches =
        driver.createInputTopic(
            topics.fetches(), new StringSerializer(), new ByteArraySerializer());
    jobs =
        driver.createInputTopic(topics.jobs(), new StringSerializer(), new ByteArraySerializer());
    jobResults =
        driver.createOutputTopic(
            topics.jobResults(),
            new StringDeserializer(),
            AvroSerde.of(JobResult.class).deserializer());
    urlResults =
        driver.createOutputTopic(
            topics.urlResults(),
            new StringDeserializer(),
            AvroSerde.of(UrlResult.class).deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void mergesChunksOfCsvAndTextIntoACompleteJob() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput("a", chunk("http://h/a.csv", "r1", 0, "CSV", "x,y", "x,y\n1,10\n2,20\n"));
    chunks.pipeInput("b", chunk("http://h/a.csv", "r1", 1, "CSV", "x,y", "3,30\n"));
    fetches.pipeInput("c", outcome("http://h/a.csv", "r1", true, 2));
    chunks.pipeInput("d", chunk("http://h/b.txt", "r2", 0, "TEXT", null, "4 5\n-6\n"));

    assertThat(latestJob().getComplete()).isFalse();

    fetches.pipeInput("e", outcome("http://h/b.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(2);
    assertThat(job.getChunks()).isEqualTo(3);
    assertThat(job.getFields()).extracting(FieldResult::getName).containsExactly("value", "x", "y");
    FieldResult x = field(job, "x");
    assertThat(x.getCount()).isEqualTo(3);
    assertThat(x.getSum()).isEqualTo(6.0);
    assertThat(x.getMean()).isEqualTo(2.0);
    assertThat(x.getVarianceSample()).isEqualTo(1.0);
    FieldResult value = field(job, "value");
    assertThat(value.getMin()).isEqualTo(-6.0);
    assertThat(value.getMax()).isEqualTo(5.0);
    assertThat(value.getSum()).isEqualTo(3.0);
  }

  @Test
  void jsonAndNdjsonChunksAndBrokenJsonThatFailsItsUrl() {
    jobs.pipeInput(JOB, manifest(3));
    chunks.pipeInput("a", chunk("http://h/a.json", "r1", 0, "JSON", null, "[{\"delay\": 5}]"));
    chunks.pipeInput(
        "a", chunk("http://h/a.json", "r1", 1, "JSON", null, "[{\"delay\": 7, \"ok\": true}]"));
    fetches.pipeInput("a", outcome("http://h/a.json", "r1", true, 2));
    chunks.pipeInput(
        "b",
        chunk(
            "http://h/b.ndjson", "r2", 0, "NDJSON", null, "{\"delay\": 1}\nbad\n{\"delay\": 2}\n"));
    fetches.pipeInput("b", outcome("http://h/b.ndjson", "r2", true, 1));
    chunks.pipeInput("c", chunk("http://h/c.json", "r3", 0, "JSON", null, "{\"delay\": 3, "));
    fetches.pipeInput("c", outcome("http://h/c.json", "r3", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getFields())
        .extracting(FieldResult::getName)
        .containsExactly("[].delay", "[].ok", "delay");
    assertThat(field(job, "[].delay").getSum()).isEqualTo(12.0);
    assertThat(field(job, "[].ok").getNonNumeric()).isEqualTo(1);
    // The broken document's cells do not count for the job.
    assertThat(field(job, "delay").getSum()).isEqualTo(3.0);
    assertThat(job.getRows()).isEqualTo(5);
    assertThat(job.getRaggedRows()).isEqualTo(1);
    assertThat(job.getFailures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getUrl()).isEqualTo("http://h/c.json");
              assertThat(f.getErrorClass()).isEqualTo("PARSE_ERROR");
              assertThat(f.getError())
                  .isEqualTo(
                      "chunk 0: broken JSON at byte 13:"
                          + " the data ends where a key in double quotes was expected");
            });
    // Nor in its own result: what a broken body counted before it broke depends on its chunks.
    UrlResult broken = urlResults.readKeyValuesToMap().get(JOB + "|http://h/c.json");
    assertThat(broken.getErrorClass()).isEqualTo("PARSE_ERROR");
    assertThat(broken.getFields()).isEmpty();
  }

  @Test
  void theOutcomeMayArriveBeforeTheChunks() {
    jobs.pipeInput(JOB, manifest(1));
    fetches.pipeInput("k", outcome("http://h/a.txt", "r1", true, 2));
    chunks.pipeInput("k0", chunk("http://h/a.txt", "r1", 1, "TEXT", null, "2\n"));

    assertThat(latestJob().getComplete()).isFalse();

    chunks.pipeInput("k1", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1\n"));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(field(job, "value").getSum()).isEqualTo(3.0);
  }

  @Test
  void failedFetchesAndBodiesWithoutNumbersAreExplainedFailures() {
    jobs.pipeInput(JOB, manifest(3));
    fetches.pipeInput(
        "a", failed("http://h/missing", "r1", 404, "HTTP_STATUS", "HTTP 404 Not Found"));
    chunks.pipeInput("b", chunk("http://h/words.txt", "r2", 0, "TEXT", null, "no numbers here\n"));
    fetches.pipeInput("b", outcome("http://h/words.txt", "r2", true, 1));
    chunks.pipeInput("c", chunk("http://h/ok.txt", "r3", 0, "TEXT", null, "7\n"));
    fetches.pipeInput("c", outcome("http://h/ok.txt", "r3", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsFailed()).isEqualTo(2);
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getFailures())
        .extracting(f -> f.getUrl() + " " + f.getErrorClass())
        .containsExactly("http://h/missing HTTP_STATUS", "http://h/words.txt NO_NUMBERS");
    assertThat(job.getFailures().get(1).getError()).contains("3 non-numeric");
    // The body without numbers was read whole, so its cells are counted.
    assertThat(field(job, "value").getCount()).isEqualTo(1);
    assertThat(field(job, "value").getNonNumeric()).isEqualTo(3);
  }

  @Test
  void nothingOfAFetchThatFailedMidwayCounts() {
    jobs.pipeInput(JOB, manifest(1));
    chunks.pipeInput("a", chunk("http://h/huge.txt", "r1", 0, "TEXT", null, "1000 2000\n"));
    fetches.pipeInput(
        "a",
        AvroSerde.of(FetchOutcome.class)
            .encode(
                outcomeBuilder("http://h/huge.txt", "r1")
                    .setOk(false)
                    .setStatus(200)
                    .setErrorClass("TOO_LARGE")
                    .setError("body of 5000 bytes or more exceeds the limit")
                    .setChunkCount(1)
                    .build()));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsFailed()).isEqualTo(1);
    assertThat(job.getFields()).isEmpty();
    assertThat(job.getFailures())
        .singleElement()
        .satisfies(f -> assertThat(f.getErrorClass()).isEqualTo("TOO_LARGE"));
  }

  @Test
  void aSecondOutcomeForTheSameRequestIsIgnored() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 2));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));

    JobResult job = latestJob();
    assertThat(job.getUrlsCompleted()).isZero();
    assertThat(job.getComplete()).isFalse();
  }

  @Test
  void theListOfFailuresIsCappedInUrlOrderButAllAreCounted() {
    driver.close();
    startDriver(
        FetchStatsConfig.builder()
            .dataDir(stateDir)
            .instanceId("test")
            .maxFailuresListed(2)
            .build());
    jobs.pipeInput(JOB, manifest(4));
    for (String url : List.of("http://h/d", "http://h/b", "http://h/c", "http://h/a")) {
      fetches.pipeInput(url, failed(url, "r-" + url, 500, "HTTP_STATUS", "HTTP 500"));
    }

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsFailed()).isEqualTo(4);
    assertThat(job.getFailures())
        .extracting(UrlFailure::getUrl)
        .containsExactly("http://h/a", "http://h/b");
  }

  @Test
  void theJobResultDoesNotDependOnArrivalOrder() {
    List<Runnable> inputs =
        List.of(
            () -> jobs.pipeInput(JOB, manifest(3)),
            () ->
                chunks.pipeInput("1", chunk("http://h/a.csv", "r1", 0, "CSV", "x", "x\n1e17\n1\n")),
            () -> chunks.pipeInput("2", chunk("http://h/a.csv", "r1", 1, "CSV", "x", "1\n")),
            () -> fetches.pipeInput("3", outcome("http://h/a.csv", "r1", true, 2)),
            () ->
                chunks.pipeInput(
                    "4", chunk("http://h/b.csv", "r2", 0, "CSV", "x", "x\n-1e17\n0.5\n")),
            () -> fetches.pipeInput("5", outcome("http://h/b.csv", "r2", true, 1)),
            () ->
                chunks.pipeInput(
                    "6", chunk("http://h/c.txt", "r3", 0, "TEXT", null, "1e17 -0.0\n")),
            () -> fetches.pipeInput("7", outcome("http://h/c.txt", "r3", true, 1)));
    JobResult reference = null;
    java.util.Random shuffler = new java.util.Random(5);
    for (int round = 0; round < 12; round++) {
      driver.close();
      startDriver(
          FetchStatsConfig.builder()
              .dataDir(stateDir.resolve("r" + round))
              .instanceId("test")
              .build());
      List<Runnable> order = new java.util.ArrayList<>(inputs);
      java.util.Collections.shuffle(order, shuffler);
      order.forEach(Runnable::run);

      JobResult job = latestJob();
      assertThat(job.getComplete()).isTrue();
      if (reference == null) {
        reference = job;
      }
      assertThat(job).isEqualTo(reference);
    }
    // Naive floating-point sums give 0, 0.5, 1 or 2 here depending on the order; the exact sum is
    // 2.5.
    assertThat(field(reference, "x").getSum()).isEqualTo(2.5);
    assertThat(field(reference, "x").getMean()).isEqualTo(0.5);
  }

  @Test
  void aJobWithoutManifestIsOpenEnded() {
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2 3\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isFalse();
    assertThat(job.getUrlsExpected()).isNull();
    assertThat(job.getUrlsCompleted()).isEqualTo(1);
  }

  @Test
  void publishesEachUrlsResultKeyedByJobAndUrl() {
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));

    Map<String, UrlResult> results = urlResults.readKeyValuesToMap();
    UrlResult url = results.get(JOB + "|http://h/a.txt");
    assertThat(url.getComplete()).isTrue();
    assertThat(url.getOk()).isTrue();
    assertThat(url.getSha256()).isEqualTo("ab");
    assertThat(url.getFields())
        .singleElement()
        .satisfies(f -> assertThat(f.getSum()).isEqualTo(3.0));
  }

  @Test
  void publishesAnIncompleteUrlsLatestStateOncePerIntervalAndACompletedOneAtOnce() {
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 1, "TEXT", null, "3\n"));

    assertThat(urlResults.isEmpty()).isTrue();

    driver.advanceWallClockTime(ProcessTopology.URL_RESULT_INTERVAL);

    assertThat(urlResults.readValuesToList())
        .singleElement()
        .satisfies(
            url -> {
              assertThat(url.getComplete()).isFalse();
              assertThat(url.getChunksCounted()).isEqualTo(2);
            });

    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 2, "TEXT", null, "4\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 3));

    assertThat(urlResults.readValuesToList())
        .singleElement()
        .satisfies(
            url -> {
              assertThat(url.getComplete()).isTrue();
              assertThat(url.getFields())
                  .singleElement()
                  .satisfies(f -> assertThat(f.getSum()).isEqualTo(10.0));
            });
    driver.advanceWallClockTime(ProcessTopology.URL_RESULT_INTERVAL);
    assertThat(urlResults.isEmpty()).isTrue();
  }

  @Test
  void aUrlListedTwiceCountsOnceAndKeepsItsResult() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));
    fetches.pipeInput(
        "b",
        AvroSerde.of(FetchOutcome.class)
            .encode(
                outcomeBuilder("http://h/a.txt", "r2")
                    .setOk(true)
                    .setStatus(200)
                    .setBytes(0)
                    .setChunkCount(0)
                    .setDuplicateOf("r1")
                    .build()));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getUrlsDuplicate()).isEqualTo(1);
    assertThat(job.getUrlsFailed()).isZero();
    assertThat(field(job, "value").getCount()).isEqualTo(2);
    UrlResult url = urlResults.readKeyValuesToMap().get(JOB + "|http://h/a.txt");
    assertThat(url.getFields())
        .singleElement()
        .satisfies(f -> assertThat(f.getSum()).isEqualTo(3.0));
  }

  @Test
  void aUrlFetchedTwiceAnywayCountsOnceWhicheverCompletesFirst() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));
    // Ingest restarted and fetched the second listing (spelled otherwise) again.
    chunks.pipeInput("b", chunk("HTTP://H:80/a.txt", "r2", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput("b", outcome("HTTP://H:80/a.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getUrlsDuplicate()).isEqualTo(1);
    assertThat(field(job, "value").getCount()).isEqualTo(2);
  }

  @Test
  void aChunkThatCannotBeParsedGoesToDeadLettersAndItsUrlFails() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(
        "bad", chunk("http://h/a.json", "r1", 0, "JSON", null, "[{\"x\": 1}, {\"x\":"));
    fetches.pipeInput("a", outcome("http://h/a.json", "r1", true, 1));
    chunks.pipeInput("good", chunk("http://h/b.txt", "r2", 0, "TEXT", null, "4 5\n"));
    fetches.pipeInput("b", outcome("http://h/b.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getFailures())
        .singleElement()
        .satisfies(f -> assertThat(f.getErrorClass()).isEqualTo("PARSE_ERROR"));
    assertThat(field(job, "value").getSum()).isEqualTo(9.0);
    TestRecord<String, byte[]> letter = deadLetters.readRecord();
    assertThat(letter.key()).isEqualTo("bad");
    assertThat(AvroSerde.of(Chunk.class).decode(letter.value()).getUrl())
        .isEqualTo("http://h/a.json");
    assertThat(header(letter, DeadLetters.EXCEPTION)).isEqualTo("PARSE_ERROR");
    assertThat(header(letter, DeadLetters.MESSAGE)).contains("broken JSON");
    assertThat(header(letter, DeadLetters.TOPIC))
        .isEqualTo(FetchStatsConfig.DEFAULT_TOPIC_PREFIX + "chunks");
    assertThat(header(letter, DeadLetters.PARTITION)).isEqualTo("0");
    assertThat(header(letter, DeadLetters.OFFSET)).isEqualTo("0");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aRecordThatIsNotAvroIsSkippedAndProcessingGoesOn() {
    jobs.pipeInput(JOB, manifest(1));
    chunks.pipeInput("garbage", "definitely not avro".getBytes(StandardCharsets.UTF_8));
    chunks.pipeInput("a", chunk("http://h/a.txt", "r1", 0, "TEXT", null, "5\n"));
    fetches.pipeInput("a", outcome("http://h/a.txt", "r1", true, 1));

    // Its way to dead-letters is checked against a real broker (PipelineContract).
    assertThat(latestJob().getComplete()).isTrue();
  }

  private JobResult latestJob() {
    return jobResults.readKeyValuesToMap().get(JOB);
  }

  private static FieldResult field(JobResult job, String name) {
    return job.getFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }

  private static byte[] manifest(int urls) {
    return AvroSerde.of(JobManifest.class).encode(new JobManifest(JOB, urls, SUBMITTED));
  }

  private static byte[] chunk(
      String url, String requestId, int seq, String format, String header, String data) {
    return AvroSerde.of(Chunk.class)
        .encode(
            new Chunk(
                JOB,
                url,
                requestId,
                seq,
                format,
                header,
                ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8))));
  }

  private static byte[] outcome(String url, String requestId, boolean ok, int chunks) {
    return AvroSerde.of(FetchOutcome.class)
        .encode(
            outcomeBuilder(url, requestId)
                .setOk(ok)
                .setStatus(200)
                .setChunkCount(chunks)
                .setSha256("ab")
                .build());
  }

  private static byte[] failed(
      String url, String requestId, int status, String errorClass, String error) {
    return AvroSerde.of(FetchOutcome.class)
        .encode(
            outcomeBuilder(url, requestId)
                .setOk(false)
                .setStatus(status)
                .setErrorClass(errorClass)
                .setError(error)
                .setChunkCount(0)
                .build());
  }

  private static FetchOutcome.Builder outcomeBuilder(String url, String requestId) {
    return FetchOutcome.newBuilder()
        .setJobId(JOB)
        .setUrl(url)
        .setRequestId(requestId)
        .setFormat("TEXT")
        .setBytes(10)
        .setLatencyMs(1)
        .setAttempts(1)
        .setFetchedAt(SUBMITTED);
  }
}
