package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** submit, results and topics as a user runs them, against a real broker and a running pipeline. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CommandsOnABrokerIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  private final String prefix = "cli-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private SampleServer http;
  private Pipeline pipeline;
  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    http =
        SampleServer.start(
            Map.of(
                "/n.txt",
                new SampleServer.Resource(
                    "text/plain", "1 2 3 4\n".getBytes(StandardCharsets.UTF_8))));
    pipeline =
        Pipeline.start(
            FetchStatsConfig.builder()
                .kafka(
                    kafka -> kafka.bootstrapServers(BROKER.bootstrapServers()).topicPrefix(prefix))
                .dataDir(dataDir)
                .fetch(fetch -> fetch.allowPrivateNetworks(true))
                .instanceId("cli-test")
                .build());
  }

  @AfterAll
  void stop() {
    pipeline.close();
    http.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", BROKER.bootstrapServers(), "--topic-prefix", prefix));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void submitThenWaitForTheResultAsJson() throws Exception {
    String url = http.baseUrl() + "/n.txt";

    assertThat(
            run(
                "submit",
                "--job-id",
                "cli-job",
                "--url",
                url,
                "--url",
                url,
                "--url",
                http.baseUrl() + "/gone.txt"))
        .as(err::toString)
        .isZero();
    assertThat(out.toString().strip()).isEqualTo("cli-job");
    assertThat(err.toString())
        .contains("1 duplicate URL submitted once")
        .contains("Submitted 2 URLs as job cli-job");

    // Complete, with a failed URL: the result, and exit code 1 as 'fetch' gives.
    assertThat(run("results", "cli-job", "--wait", "--timeout", "60s", "--json"))
        .as(err::toString)
        .isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("Job cli-job complete: 1 URL of 2 failed");
    JsonNode result = new ObjectMapper().readTree(out.toString());
    assertThat(result.get("complete").asBoolean()).isTrue();
    assertThat(result.get("urlsExpected").asInt()).isEqualTo(2);
    assertThat(result.get("urlsFailed").asInt()).isEqualTo(1);
    assertThat(result.get("fields").get(0).get("sum").asDouble()).isEqualTo(10.0);

    assertThat(run("results", "cli-job")).isZero();
    assertThat(out.toString()).startsWith("Job cli-job: complete (2/2 URLs done)");

    assertThat(run("results", "cli-job", "--failures")).isZero();
    assertThat(out.toString().strip())
        .isEqualTo(http.baseUrl() + "/gone.txt  HTTP_STATUS: HTTP 404 Not Found");
    assertThat(run("results", "cli-job", "--failures", "--json")).isZero();
    JsonNode failure = new ObjectMapper().readTree(out.toString());
    assertThat(failure.get("url").asText()).isEqualTo(http.baseUrl() + "/gone.txt");
    assertThat(failure.get("errorClass").asText()).isEqualTo("HTTP_STATUS");

    // A job is one submission: the same id cannot be submitted again. The command was right, the
    // id is in use: a failure, not a usage error, and no help under it.
    assertThat(run("submit", "--job-id", "cli-job", "--url", url)).isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("job id cli-job is taken").doesNotContain("Usage:");
  }

  @Test
  void followPrintsEachUpdateAsJsonUntilTheJobIsComplete() throws Exception {
    assertThat(
            run(
                "submit",
                "--job-id",
                "follow-job",
                "--url",
                http.baseUrl() + "/n.txt",
                "--url",
                http.baseUrl() + "/gen/text?bytes=64&seed=1&latency=1500"))
        .as(err::toString)
        .isZero();

    assertThat(run("results", "follow-job", "--follow", "--json", "--timeout", "PT60S"))
        .as(err::toString)
        .isZero();

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      assertThat(json.readTree(line).get("jobId").asText()).isEqualTo("follow-job");
    }
    JsonNode last = json.readTree(lines.get(lines.size() - 1));
    assertThat(last.get("complete").asBoolean()).isTrue();
    assertThat(last.get("urlsSucceeded").asInt()).isEqualTo(2);
  }

  @Test
  void aListWithEntriesThatAreNotUrlsIsSubmittedWithoutThemWhenAsked(@TempDir Path dir)
      throws Exception {
    Path list = dir.resolve("urls.txt");
    java.nio.file.Files.writeString(list, http.baseUrl() + "/n.txt\nnot a url\n");

    assertThat(run("submit", "--job-id", "skip-job", "--skip-invalid", list.toString()))
        .as(err::toString)
        .isZero();

    assertThat(err.toString())
        .contains("Skipped 1 of the lists' entries: not http(s) URLs")
        .contains("Submitted 1 URL as job skip-job");
  }

  @Test
  void statusShowsTheBrokerTopicsStagesAndJobs() throws Exception {
    assertThat(
            run(
                "submit",
                "--job-id",
                "status-job",
                "--url",
                http.baseUrl() + "/n.txt",
                "--wait",
                "--timeout",
                "60s"))
        .as(err::toString)
        .isZero();

    assertThat(run("status")).as(out::toString).isZero();

    assertThat(out.toString())
        .startsWith("Kafka at " + BROKER.bootstrapServers() + ": cluster ")
        .containsPattern(
            "(?m)^  " + java.util.regex.Pattern.quote(prefix) + "chunks +\\d+ partitions?$")
        .containsPattern(
            "(?m)^  ingest +group "
                + java.util.regex.Pattern.quote(prefix)
                + "ingest: 1 instance \\(stable\\)$")
        .containsPattern(
            "(?m)^  process +group "
                + java.util.regex.Pattern.quote(prefix)
                + "process: \\d+ instances? \\(stable\\)$")
        .contains("fetchstats-ingest-cli-test@")
        // Offsets, as kafka-consumer-groups counts them: a transaction's marker may count one.
        .containsPattern(
            "(?m)^    lag: [0-4] on " + java.util.regex.Pattern.quote(prefix) + "urls$")
        .containsPattern(
            "(?m)^    lag: 0 on "
                + java.util.regex.Pattern.quote(prefix)
                + "cancellations, 0 on "
                + java.util.regex.Pattern.quote(prefix)
                + "chunks, ")
        .containsPattern("(?m)^Jobs: \\d+ running, [1-9]\\d* complete$");

    // Another prefix: no topics, no stages.
    CommandLine other = Main.commandLine();
    StringWriter missing = new StringWriter();
    other.setOut(new PrintWriter(missing));
    other.setErr(new PrintWriter(new StringWriter()));
    assertThat(
            other.execute(
                "status",
                "--bootstrap-servers",
                BROKER.bootstrapServers(),
                "--topic-prefix",
                "none."))
        .isEqualTo(Main.FAILED);
    assertThat(missing.toString())
        .contains("none.chunks                      missing ('fetchstats topics create' makes it)")
        .contains("group none.ingest: 0 instances (no members)")
        .contains("Jobs: none known (no job-results topic)");
  }

  @Test
  void submitWaitPrintsTheCompleteResultAlone() throws Exception {
    assertThat(
            run(
                "submit",
                "--job-id",
                "wait-job",
                "--url",
                http.baseUrl() + "/n.txt",
                "--wait",
                "--json",
                "--timeout",
                "PT60S"))
        .as(err::toString)
        .isZero();

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode result = new ObjectMapper().readTree(lines.get(0));
    assertThat(result.get("jobId").asText()).isEqualTo("wait-job");
    assertThat(result.get("complete").asBoolean()).isTrue();
    assertThat(result.get("fields").get(0).get("sum").asDouble()).isEqualTo(10.0);
    assertThat(err.toString()).contains("progress: 1/1 URLs done");
  }

  @Test
  void jobsAreListedCancelledAndRetried() throws Exception {
    String url = http.baseUrl() + "/n.txt";
    assertThat(
            run(
                "submit",
                "--job-id",
                "cli-retried",
                "--url",
                url,
                "--url",
                url + "/gone",
                "--wait",
                "--timeout",
                "60s"))
        .as(err::toString)
        .isEqualTo(Main.FAILED); // complete, with a failed URL

    assertThat(run("jobs", "list", "--state", "complete")).as(err::toString).isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^JOB +STATE +URLS +FAILED")
        .containsPattern("(?m)^cli-retried +complete +2/2 +1 ");
    assertThat(run("jobs", "cancel", "cli-retried")).isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("job cli-retried is complete: nothing is left to cancel");
    assertThat(run("jobs", "cancel", "no-such-job")).isEqualTo(Main.NOT_FOUND);
    assertThat(err.toString()).contains("no job no-such-job");

    assertThat(run("jobs", "retry", "cli-retried")).as(err::toString).isZero();
    String retry = out.toString().replaceAll("(?s).* as job (\\S+)\\s*$", "$1");
    assertThat(out.toString()).contains("Submitted 1 failed URL of job cli-retried again as job ");
    assertThat(run("results", retry, "--wait", "--timeout", "60s", "--json"))
        .isEqualTo(Main.FAILED); // the same URL fails again
    assertThat(new ObjectMapper().readTree(out.toString()).get("retryOf").asText())
        .isEqualTo("cli-retried");

    // Slow URLs, 8 at a time per host: most are not fetched yet when the job is cancelled.
    List<String> slow = new ArrayList<>(List.of("submit", "--job-id", "cli-cancelled"));
    for (int i = 0; i < 24; i++) {
      slow.addAll(List.of("--url", url + "?latency=1500&n=" + i));
    }
    assertThat(run(slow.toArray(String[]::new))).as(err::toString).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> run("jobs", "cancel", "cli-cancelled") == Main.OK);
    assertThat(out.toString()).contains("Cancelled job cli-cancelled");
    run("results", "cli-cancelled", "--wait", "--timeout", "60s", "--json");
    JsonNode cancelled = new ObjectMapper().readTree(out.toString());
    assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
    assertThat(cancelled.get("urlsCancelled").asInt()).isPositive();
    assertThat(run("jobs", "list", "--state", "cancelled", "--json")).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).get("jobs").get(0).get("jobId").asText())
        .isEqualTo("cli-cancelled");
    assertThat(run("jobs", "list", "--state", "finished")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("unknown job state 'finished'");
  }

  @Test
  void anUnknownJobHasNoResult() {
    assertThat(run("results", "no-such-job")).isEqualTo(Main.NOT_FOUND);
    assertThat(err.toString()).contains("No result for job no-such-job");

    assertThat(run("results", "no-such-job", "--wait", "--timeout", "PT1S"))
        .isEqualTo(Main.NOT_FOUND);
    assertThat(err.toString()).contains("No result for job no-such-job within 1s");
  }

  @Test
  void topicsDescribeListsEveryTopic() {
    assertThat(run("topics", "describe")).isZero();
    assertThat(out.toString())
        .contains(prefix + "urls")
        .contains(prefix + "job-results")
        .contains("compacted");
  }
}
