package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobCancellation;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.KafkaSettings;
import io.fetchstats.domain.Fields;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.PoisonRecords;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.JobState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
  private FetchStatsConfig config;
  private Topics topics;
  private TestInputTopic<String, byte[]> chunks;
  private TestInputTopic<String, byte[]> fetches;
  private TestInputTopic<String, byte[]> jobs;
  private TestInputTopic<String, byte[]> cancellations;
  private TestOutputTopic<String, JobResult> jobResults;
  private TestOutputTopic<String, UrlResult> urlResults;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startDriver() {
    startDriver(FetchStatsConfig.builder().dataDir(stateDir).instanceId("test").build());
  }

  private void startDriver(FetchStatsConfig config) {
    this.config = config;
    Properties props = ProcessorApp.streamsProperties(config.withBootstrapServers("unused:9092"));
    driver =
        new TopologyTestDriver(
            ProcessTopology.build(config, new ProcessMetrics(new SimpleMeterRegistry())), props);
    topics = Topics.of(config);
    chunks =
        driver.createInputTopic(
            topics.chunks().name(), new StringSerializer(), new ByteArraySerializer());
    fetches =
        driver.createInputTopic(
            topics.fetches().name(), new StringSerializer(), new ByteArraySerializer());
    jobs =
        driver.createInputTopic(
            topics.jobs().name(), new StringSerializer(), new ByteArraySerializer());
    cancellations =
        driver.createInputTopic(
            topics.cancellations().name(), new StringSerializer(), new ByteArraySerializer());
    jobResults =
        driver.createOutputTopic(
            topics.jobResults().name(),
            topics.jobResults().keys().deserializer(),
            topics.jobResults().values().deserializer());
    urlResults =
        driver.createOutputTopic(
            topics.urlResults().name(),
            topics.urlResults().keys().deserializer(),
            topics.urlResults().values().deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters().name(),
            topics.deadLetters().keys().deserializer(),
            topics.deadLetters().values().deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void onlyTheChunksOfTheFetchItsOutcomeNamesCountBeforeOrAfterIt() {
    jobs.pipeInput(JOB, manifest(1));
    // Ingest stopped after committing the first chunk of fetch 1, and fetched the URL again.
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 1L, 0, "TEXT", null, "100\n"));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 2L, 0, "TEXT", null, "1\n"));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 2L, 1, "TEXT", null, "2\n"));
    fetches.pipeInput(
        keyed(
            outcomeBuilder("http://h/a.txt", "r1")
                .setOk(true)
                .setChunkCount(2)
                .setFetchId(2L)
                .build()));
    long urlResultsBefore = urlResults.getQueueSize();
    // A chunk of fetch 1 late from another partition.
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 1L, 1, "TEXT", null, "200\n"));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(field(job, "value").getSum()).isEqualTo(3.0);
    assertThat(job.getChunks()).isEqualTo(2);
    assertThat(urlResults.getQueueSize()).isEqualTo(urlResultsBefore);
    assertThat(urlResults.readValuesToList())
        .last()
        .satisfies(url -> assertThat(url.getComplete()).isTrue());
  }

  @Test
  void mergesChunksOfCsvAndTextIntoACompleteJob() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(chunk("http://h/a.csv", "r1", 0, "CSV", "x,y", "x,y\n1,10\n2,20\n"));
    chunks.pipeInput(chunk("http://h/a.csv", "r1", 1, "CSV", "x,y", "3,30\n"));
    fetches.pipeInput(outcome("http://h/a.csv", "r1", true, 2));
    chunks.pipeInput(chunk("http://h/b.txt", "r2", 0, "TEXT", null, "4 5\n-6\n"));

    assertThat(latestJob().getComplete()).isFalse();

    fetches.pipeInput(outcome("http://h/b.txt", "r2", true, 1));

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
    chunks.pipeInput(chunk("http://h/a.json", "r1", 0, "JSON", null, "[{\"delay\": 5}]"));
    chunks.pipeInput(
        chunk("http://h/a.json", "r1", 1, "JSON", null, "[{\"delay\": 7, \"ok\": true}]"));
    fetches.pipeInput(outcome("http://h/a.json", "r1", true, 2));
    chunks.pipeInput(
        chunk(
            "http://h/b.ndjson", "r2", 0, "NDJSON", null, "{\"delay\": 1}\nbad\n{\"delay\": 2}\n"));
    fetches.pipeInput(outcome("http://h/b.ndjson", "r2", true, 1));
    chunks.pipeInput(chunk("http://h/c.json", "r3", 0, "JSON", null, "{\"delay\": 3, "));
    fetches.pipeInput(outcome("http://h/c.json", "r3", true, 1));

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
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 2));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 1, "TEXT", null, "2\n"));

    assertThat(latestJob().getComplete()).isFalse();

    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1\n"));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(field(job, "value").getSum()).isEqualTo(3.0);
  }

  @Test
  void failedFetchesAndBodiesWithoutNumbersAreExplainedFailures() {
    jobs.pipeInput(JOB, manifest(3));
    fetches.pipeInput(failed("http://h/missing", "r1", 404, "HTTP_STATUS", "HTTP 404 Not Found"));
    chunks.pipeInput(chunk("http://h/words.txt", "r2", 0, "TEXT", null, "no numbers here\n"));
    fetches.pipeInput(outcome("http://h/words.txt", "r2", true, 1));
    chunks.pipeInput(chunk("http://h/ok.txt", "r3", 0, "TEXT", null, "7\n"));
    fetches.pipeInput(outcome("http://h/ok.txt", "r3", true, 1));

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
  void aCancelledJobSaysSoAtOnceAndCompletesWhenItsLastUrlsEndCancelled() {
    jobs.pipeInput(JOB, manifest(3));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    Instant cancelledAt = SUBMITTED.plusSeconds(2);
    cancellations.pipeInput(
        JOB, AvroSerde.of(JobCancellation.class).encode(new JobCancellation(JOB, cancelledAt)));

    JobResult cancelling = latestJob();
    assertThat(cancelling.getCancelledAt()).isEqualTo(cancelledAt.toEpochMilli());
    assertThat(cancelling.getComplete()).isFalse();
    assertThat(JobState.of(cancelling)).isEqualTo(JobState.CANCELLED);

    for (String url : List.of("http://h/b.txt", "http://h/c.txt")) {
      fetches.pipeInput(failed(url, "r-" + url, 0, "CANCELLED", "the job was cancelled"));
    }
    JobResult done = latestJob();
    assertThat(done.getComplete()).isTrue();
    assertThat(done.getCancelledAt()).isEqualTo(cancelledAt.toEpochMilli());
    assertThat(done.getUrlsCancelled()).isEqualTo(2);
    assertThat(done.getUrlsFailed()).isEqualTo(2);
    assertThat(done.getUrlsSucceeded()).isEqualTo(1);
    // What was fetched before the cancellation keeps its result.
    assertThat(field(done, "value").getCount()).isEqualTo(2);
    assertThat(done.getSubmittedAt()).isEqualTo(SUBMITTED.toEpochMilli());
  }

  @Test
  void aCancellationThatComesAfterItsUrlsCancelledOutcomesStillMarksTheJob() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    fetches.pipeInput(failed("http://h/b.txt", "r2", 0, "CANCELLED", "the job was cancelled"));
    assertThat(latestJob().getComplete()).isTrue();

    Instant cancelledAt = SUBMITTED.plusSeconds(2);
    cancellations.pipeInput(
        JOB, AvroSerde.of(JobCancellation.class).encode(new JobCancellation(JOB, cancelledAt)));

    JobResult done = latestJob();
    assertThat(JobState.of(done)).isEqualTo(JobState.CANCELLED);
    assertThat(done.getCancelledAt()).isEqualTo(cancelledAt.toEpochMilli());
    assertThat(done.getUrlsCancelled()).isEqualTo(1);
  }

  @Test
  void aCancellationThatComesAfterTheJobCompletedChangesNothing() {
    jobs.pipeInput(JOB, manifest(1));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    JobResult complete = latestJob();

    cancellations.pipeInput(
        JOB,
        AvroSerde.of(JobCancellation.class)
            .encode(new JobCancellation(JOB, SUBMITTED.plusSeconds(9))));
    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL);

    assertThat(jobResults.isEmpty()).isTrue();
    assertThat(JobState.of(complete)).isEqualTo(JobState.COMPLETE);
  }

  @Test
  void nothingOfAFetchThatFailedMidwayCounts() {
    jobs.pipeInput(JOB, manifest(1));
    chunks.pipeInput(chunk("http://h/huge.txt", "r1", 0, "TEXT", null, "1000 2000\n"));
    fetches.pipeInput(
        keyed(
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
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 2));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));

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
            .processing(processing -> processing.withMaxFailuresListed(2))
            .build());
    jobs.pipeInput(JOB, manifest(4));
    for (String url : List.of("http://h/d", "http://h/b", "http://h/c", "http://h/a")) {
      fetches.pipeInput(failed(url, "r-" + url, 500, "HTTP_STATUS", "HTTP 500"));
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
            () -> chunks.pipeInput(chunk("http://h/a.csv", "r1", 0, "CSV", "x", "x\n1e17\n1\n")),
            () -> chunks.pipeInput(chunk("http://h/a.csv", "r1", 1, "CSV", "x", "1\n")),
            () -> fetches.pipeInput(outcome("http://h/a.csv", "r1", true, 2)),
            () -> chunks.pipeInput(chunk("http://h/b.csv", "r2", 0, "CSV", "x", "x\n-1e17\n0.5\n")),
            () -> fetches.pipeInput(outcome("http://h/b.csv", "r2", true, 1)),
            () -> chunks.pipeInput(chunk("http://h/c.txt", "r3", 0, "TEXT", null, "1e17 -0.0\n")),
            () -> fetches.pipeInput(outcome("http://h/c.txt", "r3", true, 1)));
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

      JobResult job = withoutUpdateTime(latestJob());
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
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2 3\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isFalse();
    assertThat(job.getUrlsExpected()).isNull();
    assertThat(job.getUrlsCompleted()).isEqualTo(1);
  }

  @Test
  void publishesEachUrlsResultKeyedByJobAndUrl() {
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));

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
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 1, "TEXT", null, "3\n"));

    assertThat(urlResults.isEmpty()).isTrue();

    driver.advanceWallClockTime(ProcessTopology.URL_RESULT_INTERVAL);

    assertThat(urlResults.readValuesToList())
        .singleElement()
        .satisfies(
            url -> {
              assertThat(url.getComplete()).isFalse();
              assertThat(url.getChunksCounted()).isEqualTo(2);
            });

    chunks.pipeInput(chunk("http://h/a.txt", "r1", 2, "TEXT", null, "4\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 3));

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
  void publishesARunningJobAtOnceThenItsLatestStateOncePerIntervalAndACompleteOneAtOnce() {
    jobs.pipeInput(JOB, manifest(4));

    assertThat(jobResults.readValuesToList())
        .singleElement()
        .satisfies(job -> assertThat(job.getUrlsCompleted()).isZero());

    for (String url : List.of("a", "b")) {
      chunks.pipeInput(chunk("http://h/" + url + ".txt", url, 0, "TEXT", null, "1 2\n"));
      fetches.pipeInput(outcome("http://h/" + url + ".txt", url, true, 1));
    }

    assertThat(jobResults.isEmpty()).isTrue();

    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL.dividedBy(2));
    assertThat(jobResults.isEmpty()).isTrue();
    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL.dividedBy(2));

    assertThat(jobResults.readValuesToList())
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.getComplete()).isFalse();
              assertThat(job.getUrlsCompleted()).isEqualTo(2);
              assertThat(field(job, "value").getSum()).isEqualTo(6.0);
            });
    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL);
    assertThat(jobResults.isEmpty()).isTrue();

    // Quiet for an interval: the next URL shows at once.
    chunks.pipeInput(chunk("http://h/c.txt", "r3", 0, "TEXT", null, "4\n"));
    fetches.pipeInput(outcome("http://h/c.txt", "r3", true, 1));

    assertThat(jobResults.readValuesToList())
        .singleElement()
        .satisfies(job -> assertThat(job.getUrlsCompleted()).isEqualTo(3));

    chunks.pipeInput(chunk("http://h/d.txt", "r4", 0, "TEXT", null, "5\n"));
    fetches.pipeInput(outcome("http://h/d.txt", "r4", true, 1));

    assertThat(jobResults.readValuesToList())
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.getComplete()).isTrue();
              assertThat(job.getUrlsSucceeded()).isEqualTo(4);
              assertThat(field(job, "value").getSum()).isEqualTo(15.0);
            });
    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL);
    assertThat(jobResults.isEmpty()).isTrue();
  }

  @Test
  void aResultIsNeverOlderThanTheResultBeforeItWhateverOrderItsEventsArriveIn() {
    // Chunks come from every partition of the chunks topic: a later one can arrive first.
    jobs.pipeInput(JOB, manifest(1), SUBMITTED.plusMillis(30));
    chunks.pipeInput(at(20, chunk("http://h/a.txt", "r1", 1, "TEXT", null, "3\n")));
    driver.advanceWallClockTime(ProcessTopology.URL_RESULT_INTERVAL);
    chunks.pipeInput(at(10, chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n")));
    driver.advanceWallClockTime(ProcessTopology.URL_RESULT_INTERVAL);
    fetches.pipeInput(at(15, outcome("http://h/a.txt", "r1", true, 2)));

    assertThat(urlResults.readRecordsToList())
        .extracting(TestRecord::getRecordTime)
        .containsExactly(
            SUBMITTED.plusMillis(20), SUBMITTED.plusMillis(20), SUBMITTED.plusMillis(20));
    List<TestRecord<String, JobResult>> results = jobResults.readRecordsToList();
    assertThat(results)
        .extracting(TestRecord::getRecordTime)
        .containsExactly(SUBMITTED.plusMillis(30), SUBMITTED.plusMillis(30));
    assertThat(results.get(1).value().getComplete()).isTrue();
    assertThat(field(results.get(1).value(), "value").getSum()).isEqualTo(6.0);
  }

  @Test
  void aUrlListedTwiceCountsOnceAndKeepsItsResult() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    fetches.pipeInput(
        keyed(
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
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    // Ingest restarted and fetched the second listing (spelled otherwise) again.
    chunks.pipeInput(chunk("HTTP://H:80/a.txt", "r2", 0, "TEXT", null, "1 2\n"));
    fetches.pipeInput(outcome("HTTP://H:80/a.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(1);
    assertThat(job.getUrlsDuplicate()).isEqualTo(1);
    assertThat(field(job, "value").getCount()).isEqualTo(2);
  }

  @Test
  void aChunkThatCannotBeParsedGoesToDeadLettersAndItsUrlFails() {
    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(chunk("http://h/a.json", "r1", 0, "JSON", null, "[{\"x\": 1}, {\"x\":"));
    fetches.pipeInput(outcome("http://h/a.json", "r1", true, 1));
    chunks.pipeInput(chunk("http://h/b.txt", "r2", 0, "TEXT", null, "4 5\n"));
    fetches.pipeInput(outcome("http://h/b.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getFailures())
        .singleElement()
        .satisfies(f -> assertThat(f.getErrorClass()).isEqualTo("PARSE_ERROR"));
    assertThat(field(job, "value").getSum()).isEqualTo(9.0);
    TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
    assertThat(letter.key())
        .isEqualTo(Keys.chunk(JOB, "http://h/a.json", "r1", 0).getBytes(StandardCharsets.UTF_8));
    assertThat(AvroSerde.of(Chunk.class).decode(letter.value()).getUrl())
        .isEqualTo("http://h/a.json");
    assertThat(header(letter, DeadLetters.EXCEPTION)).isEqualTo("PARSE_ERROR");
    assertThat(header(letter, DeadLetters.MESSAGE)).contains("broken JSON");
    assertThat(header(letter, DeadLetters.TOPIC))
        .isEqualTo(KafkaSettings.DEFAULT_TOPIC_PREFIX + "chunks");
    assertThat(header(letter, DeadLetters.PARTITION)).isEqualTo("0");
    assertThat(header(letter, DeadLetters.OFFSET)).isEqualTo("0");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aUrlWhoseChunksTogetherHoldTooManyFieldsFailsAndTheJobGoesOn() {
    jobs.pipeInput(JOB, manifest(2));
    // Each chunk holds 1,200 keys of its own: under the limit alone, over it together.
    chunks.pipeInput(chunk("http://h/a.ndjson", "r1", 0, "NDJSON", null, keys("a", 1_200)));
    chunks.pipeInput(chunk("http://h/a.ndjson", "r1", 1, "NDJSON", null, keys("b", 1_200)));
    fetches.pipeInput(outcome("http://h/a.ndjson", "r1", true, 2));
    chunks.pipeInput(chunk("http://h/b.txt", "r2", 0, "TEXT", null, "4 5\n"));
    fetches.pipeInput(outcome("http://h/b.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getFailures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.getErrorClass()).isEqualTo("TOO_MANY_FIELDS");
              assertThat(failure.getError()).contains("more than 2000 distinct fields");
            });
    assertThat(job.getFields()).extracting(FieldResult::getName).containsExactly("value");
  }

  @Test
  void aJobKeepsTheFirstFieldsInNameOrderThatFitWhateverTheOrderOfItsUrls() {
    List<List<Integer>> orders =
        List.of(List.of(0, 1, 2), List.of(2, 1, 0), List.of(1, 2, 0), List.of(1, 0, 2));
    List<JobResult> results = new ArrayList<>();
    for (List<Integer> order : orders) {
      closeDriver();
      startDriver();
      jobs.pipeInput(JOB, manifest(3));
      for (int url : order) {
        String name = "http://h/" + url + ".ndjson";
        // 900 keys of each URL's own and 100 shared by all: 2,800 in the job.
        chunks.pipeInput(
            chunk(name, "r" + url, 0, "NDJSON", null, keys("u" + url, 900) + keys("shared", 100)));
        fetches.pipeInput(outcome(name, "r" + url, true, 1));
      }
      results.add(withoutUpdateTime(latestJob()));
    }

    JobResult first = results.get(0);
    assertThat(first.getComplete()).isTrue();
    assertThat(first.getUrlsSucceeded()).isEqualTo(3);
    assertThat(first.getFields()).hasSize(Fields.MAX_FIELDS);
    // Fields sort as shared.*, u0.*, u1.*, u2.*: the last 800 of u2 are left out.
    assertThat(first.getFieldsOmittedFrom()).isEqualTo("u2k100");
    assertThat(first.getFields().get(first.getFields().size() - 1).getName()).isEqualTo("u2k099");
    assertThat(results).allSatisfy(result -> assertThat(result).isEqualTo(first));
    // The largest results stay far below what a record may hold.
    assertThat(AvroSerde.of(JobResult.class).encode(first).length)
        .isLessThan(KafkaClients.MAX_RECORD_BYTES / 4);
  }

  /** One NDJSON line of {@code count} keys prefix + k000...: a field each. */
  private static String keys(String prefix, int count) {
    StringBuilder line = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      line.append(i == 0 ? "" : ",").append(String.format("\"%sk%03d\": %d", prefix, i, i));
    }
    return line.append("}\n").toString();
  }

  @Test
  void noRecordOnAnInputTopicStopsTheProcessorAndEachEndsInDeadLetters() {
    Map<String, List<PoisonRecords.Poison>> poisonByTopic = new LinkedHashMap<>();
    poisonByTopic.put(topics.chunks().name(), PoisonRecords.chunks());
    poisonByTopic.put(topics.fetches().name(), PoisonRecords.fetches());
    poisonByTopic.put(topics.jobs().name(), PoisonRecords.jobs());

    jobs.pipeInput(JOB, manifest(2));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "0.1 0.2\n"));
    poisonByTopic.forEach(
        (topic, poison) -> {
          TestInputTopic<byte[], byte[]> raw =
              driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
          poison.forEach(record -> raw.pipeInput(record.key(), record.value()));
        });
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));
    chunks.pipeInput(chunk("http://h/b.txt", "r2", 0, "TEXT", null, "0.3\n"));
    fetches.pipeInput(outcome("http://h/b.txt", "r2", true, 1));

    JobResult job = latestJob();
    assertThat(job.getComplete()).isTrue();
    assertThat(job.getUrlsSucceeded()).isEqualTo(2);
    assertThat(field(job, "value").getCount()).isEqualTo(3);
    // Exact: 0.1 + 0.2 + 0.3 rounded once, not (0.1 + 0.2) + 0.3.
    assertThat(field(job, "value").getSum()).isEqualTo(0.6);
    List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
    List<PoisonRecords.Poison> all = poisonByTopic.values().stream().flatMap(List::stream).toList();
    assertThat(letters).hasSameSizeAs(all);
    int i = 0;
    for (Map.Entry<String, List<PoisonRecords.Poison>> topic : poisonByTopic.entrySet()) {
      for (int offset = 0; offset < topic.getValue().size(); offset++, i++) {
        PoisonRecords.Poison poison = topic.getValue().get(offset);
        TestRecord<byte[], byte[]> letter = letters.get(i);
        assertThat(letter.key()).as(poison.what()).isEqualTo(poison.key());
        assertThat(letter.value()).as(poison.what()).isEqualTo(poison.value());
        assertThat(header(letter, DeadLetters.EXCEPTION))
            .as(poison.what())
            .isIn(SerializationException.class.getName(), InvalidRecordException.class.getName());
        assertThat(header(letter, DeadLetters.MESSAGE)).as(poison.what()).isNotBlank();
        assertThat(header(letter, DeadLetters.TOPIC)).as(poison.what()).isEqualTo(topic.getKey());
        assertThat(header(letter, DeadLetters.PARTITION)).isEqualTo("0");
        // The topic's first record is the test's own valid one, except on fetches.
        long firstPoison = topic.getKey().equals(topics.fetches().name()) ? 0 : 1;
        assertThat(header(letter, DeadLetters.OFFSET))
            .as(poison.what())
            .isEqualTo(String.valueOf(firstPoison + offset));
      }
    }
  }

  @Test
  void aRecordWithoutAValidTimestampIsReadLikeAnyOther() {
    // Kafka Streams' default extractor fails the thread on it, before the topology could read it.
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            topics.jobs().name(), new ByteArraySerializer(), new ByteArraySerializer());
    byte[] key = JOB.getBytes(StandardCharsets.UTF_8);
    Instant none = Instant.ofEpochMilli(-1);
    raw.pipeInput(new TestRecord<>(key, manifest(1), new RecordHeaders(), none));
    raw.pipeInput(new TestRecord<>(key, null, new RecordHeaders(), none));
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "5\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));

    assertThat(latestJob().getComplete()).isTrue();
    assertThat(deadLetters.readRecordsToList())
        .singleElement()
        .satisfies(letter -> assertThat(header(letter, DeadLetters.MESSAGE)).contains("tombstone"));
  }

  @Test
  void deadLettersSayWhatIsWrongInWords() {
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            topics.chunks().name(), new ByteArraySerializer(), new ByteArraySerializer());
    PoisonRecords.chunks().forEach(record -> raw.pipeInput(record.key(), record.value()));

    assertThat(deadLetters.readRecordsToList())
        .extracting(letter -> header(letter, DeadLetters.MESSAGE))
        .containsExactly(
            "no value (a tombstone): expected an Avro Chunk",
            "no key: a Chunk is keyed 'poison-job|http://poison.invalid/a.txt|1:0:0|0'",
            "an empty value where an Avro Chunk was expected (such a record starts with the"
                + " bytes C3 01 and the 8-byte fingerprint of its schema)",
            "not Avro single-object encoding where an Avro Chunk was expected (such a record"
                + " starts with the bytes C3 01 and the 8-byte fingerprint of its schema)",
            "not Avro single-object encoding where an Avro Chunk was expected (such a record"
                + " starts with the bytes C3 01 and the 8-byte fingerprint of its schema)",
            "a truncated or malformed Avro Chunk record: java.io.EOFException",
            "an Avro record of another schema (fingerprint "
                + fingerprintOf(PoisonRecords.chunks().get(6).value())
                + ") where an Avro Chunk was expected",
            "an Avro record of another schema (fingerprint "
                + fingerprintOf(PoisonRecords.chunks().get(7).value())
                + ") where an Avro Chunk was expected",
            "a truncated or malformed Avro Chunk record:"
                + " org.apache.avro.SystemLimitException: String length 1073741824 exceeds"
                + " maximum allowed",
            "the key 'poison-job|http://poison.invalid/a.txt|1:0:0|1' does not match the"
                + " Chunk's 'poison-job|http://poison.invalid/a.txt|1:0:0|0'",
            "an invalid Chunk: seq -1 is negative",
            "an invalid Chunk: unknown format 'XML'",
            "an invalid Chunk: 4128769 bytes of data, over the largest chunk size (4128768 bytes)",
            "an invalid Chunk: invalid job id 'a|b': use 1 to 128 letters, digits, '.', '_' or"
                + " '-'");
  }

  @Test
  void aRecordWhoseProcessingThrowsGoesToDeadLettersAndProcessingGoesOn() {
    // No stage writes a tombstone to an internal topic; the aggregator would throw on one.
    TestInputTopic<byte[], byte[]> urlEvents =
        driver.createInputTopic(
            ProcessorApp.applicationId(config) + "-url-events-repartition",
            new ByteArraySerializer(),
            new ByteArraySerializer());
    byte[] key = Keys.request(JOB, "http://h/a.txt", "r1").getBytes(StandardCharsets.UTF_8);

    jobs.pipeInput(JOB, manifest(1));
    urlEvents.pipeInput(key, (byte[]) null);
    chunks.pipeInput(chunk("http://h/a.txt", "r1", 0, "TEXT", null, "5\n"));
    fetches.pipeInput(outcome("http://h/a.txt", "r1", true, 1));

    assertThat(latestJob().getComplete()).isTrue();
    TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
    assertThat(letter.key()).isEqualTo(key);
    assertThat(letter.value()).isNull();
    assertThat(header(letter, DeadLetters.EXCEPTION))
        .isEqualTo(NullPointerException.class.getName());
    assertThat(header(letter, DeadLetters.MESSAGE)).contains("(in url-aggregator)");
    assertThat(header(letter, DeadLetters.TOPIC)).endsWith("-url-events-repartition");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static String fingerprintOf(byte[] value) {
    return String.format(
        "%016x", ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  /** The job's latest result, once a running job's waiting result is published. */
  private JobResult latestJob() {
    driver.advanceWallClockTime(ProcessTopology.JOB_RESULT_INTERVAL);
    return jobResults.readKeyValuesToMap().get(JOB);
  }

  private static FieldResult field(JobResult job, String name) {
    return job.getFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }

  /** The result but for when it was updated: the time its test piped its last record. */
  private static JobResult withoutUpdateTime(JobResult job) {
    return JobResult.newBuilder(job).setUpdatedAt(null).build();
  }

  private static byte[] manifest(int urls) {
    return AvroSerde.of(JobManifest.class)
        .encode(new JobManifest(JOB, urls, SUBMITTED, null, null));
  }

  /** A chunk as ingest writes it, keyed by its request and seq. */
  private static TestRecord<String, byte[]> chunk(
      String url, String requestId, int seq, String format, String header, String data) {
    return chunk(url, requestId, null, seq, format, header, data);
  }

  /** A chunk of fetch {@code fetchId} of its request. */
  private static TestRecord<String, byte[]> chunk(
      String url,
      String requestId,
      Long fetchId,
      int seq,
      String format,
      String header,
      String data) {
    return new TestRecord<>(
        Keys.chunk(JOB, url, requestId, seq),
        AvroSerde.of(Chunk.class)
            .encode(
                new Chunk(
                    JOB,
                    url,
                    requestId,
                    seq,
                    format,
                    header,
                    ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)),
                    fetchId)));
  }

  private static TestRecord<String, byte[]> outcome(
      String url, String requestId, boolean ok, int chunks) {
    return keyed(
        outcomeBuilder(url, requestId)
            .setOk(ok)
            .setStatus(200)
            .setChunkCount(chunks)
            .setSha256("ab")
            .build());
  }

  private static TestRecord<String, byte[]> failed(
      String url, String requestId, int status, String errorClass, String error) {
    return keyed(
        outcomeBuilder(url, requestId)
            .setOk(false)
            .setStatus(status)
            .setErrorClass(errorClass)
            .setError(error)
            .setChunkCount(0)
            .build());
  }

  /** {@code record} written {@code millis} after the job was submitted. */
  private static TestRecord<String, byte[]> at(long millis, TestRecord<String, byte[]> record) {
    return new TestRecord<>(
        record.key(), record.value(), record.headers(), SUBMITTED.plusMillis(millis));
  }

  /** An outcome as ingest writes it, keyed by its request. */
  private static TestRecord<String, byte[]> keyed(FetchOutcome outcome) {
    return new TestRecord<>(
        Keys.request(outcome.getJobId(), outcome.getUrl(), outcome.getRequestId()),
        AvroSerde.of(FetchOutcome.class).encode(outcome));
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
