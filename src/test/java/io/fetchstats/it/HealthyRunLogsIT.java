package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.samples.SampleData;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of a healthy pipeline, each command in a JVM of its own with the logging it
 * ships with: the demo, and {@code run} with a job of a few hundred URLs of every format through
 * its API, print no WARN or ERROR line. URLs that fail (404, a reset, no numbers) are part of a
 * healthy job: they are reported, not alarming.
 */
@Timeout(360)
class HealthyRunLogsIT {
  private static final Pattern ALARMING = Pattern.compile("^\\S+ (WARN|ERROR) ");
  private static final Pattern API = Pattern.compile("HTTP server listening on (http://\\S+)");
  private static final String[] FORMATS = {"csv", "tsv", "json", "ndjson", "text"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  /** The README's first command, run as a user would, to its table. */
  @Test
  void theDemoRunsToACompleteJobTableWithNoWarningOrError() throws Exception {
    Path log = dir.resolve("demo.log");
    Process demo = fetchstats(log, "demo");

    assertThat(demo.waitFor(300, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    assertThat(demo.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log))
        .contains("Submitted job")
        .containsPattern("Watch it at http://127\\.0\\.0\\.1:\\d+/#/jobs/job-")
        .contains("progress: 24/24 URLs done")
        .contains("complete (24/24 URLs done)")
        .contains("URLs: 22 succeeded, 2 failed")
        .containsPattern("temperature\\s+63000\\s")
        .containsPattern("value\\s+105000\\s")
        .contains("HTTP_STATUS: HTTP 404 Not Found")
        .contains("NO_NUMBERS");
    assertThat(alarming(log)).isEmpty();
  }

  @Test
  void runWithAJobOfEveryFormatPrintsNoWarningOrError() throws Exception {
    try (SampleServer http = SampleServer.start(SampleData.resources(42))) {
      Path log = dir.resolve("run.log");
      Process run =
          fetchstats(
              log,
              "run",
              "--data-dir=" + dir.resolve("run-data"),
              "--broker-port=" + EmbeddedKafka.anyFreePort(),
              "--http-port=0",
              "--allow-private-networks",
              // Many chunks a body, spread over the partitions: results merge out of order.
              "--chunk-size=4096",
              "--retry-backoff=PT0.02S",
              "--instance-id=healthy");
      String api =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> apiAddress(log), Optional::isPresent)
              .orElseThrow();
      // The page's address, printed once everything has started.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(log).contains("Open " + api + "/ to see the jobs"));
      List<String> urls = urls(http.baseUrl());

      String jobId = submit(api, urls);

      // The job's and every URL's final result are in the API's store, which reads the results
      // topics (and logs a result older than the one before it as an out-of-order update).
      await()
          .atMost(Duration.ofSeconds(240))
          .until(() -> jobComplete(api, jobId) && completeUrls(api, jobId) == urls.size());
      run.destroy(); // SIGTERM, as Ctrl-C
      assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(alarming(log)).isEmpty();
    }
  }

  /** The demo's samples, generated bodies of every format and size, and failing URLs. */
  private static List<String> urls(String baseUrl) {
    List<String> urls = new ArrayList<>(SampleData.urls(baseUrl));
    for (int i = 0; i < 300; i++) {
      String format = FORMATS[i % FORMATS.length];
      urls.add(baseUrl + "/gen/" + format + "?bytes=" + (1_000 + i * 211 % 40_000) + "&seed=" + i);
    }
    String failing = baseUrl + "/gen/csv?bytes=20000&";
    urls.addAll(
        List.of(
            baseUrl + "/missing/1.csv",
            failing + "fault=reset",
            failing + "fault=truncate",
            failing + "status=500",
            failing + "status=503&failures=2"));
    return urls;
  }

  private Process fetchstats(Path log, String... arguments) throws IOException {
    Process process = ChildJvm.fetchstats(log, List.of(), arguments);
    children.add(process);
    return process;
  }

  /** The lines logged at WARN or ERROR. */
  private static List<String> alarming(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(line -> ALARMING.matcher(line).find()).toList();
  }

  private static Optional<String> apiAddress(Path log) throws IOException {
    Matcher address = API.matcher(Files.readString(log));
    return address.find() ? Optional.of(address.group(1)) : Optional.empty();
  }

  private String submit(String api, List<String> urls) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(api + "/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", urls)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("jobId").asText();
  }

  private boolean jobComplete(String api, String jobId) throws Exception {
    HttpResponse<String> response = get(api + "/jobs/" + jobId);
    return response.statusCode() == 200
        && JSON.readTree(response.body()).get("complete").asBoolean();
  }

  /** How many of the job's URLs have their final result (0 before the job is known). */
  private long completeUrls(String api, String jobId) throws Exception {
    HttpResponse<String> response = get(api + "/jobs/" + jobId + "/urls?limit=10000");
    if (response.statusCode() == 404) {
      return 0;
    }
    JsonNode page = JSON.readTree(response.body());
    return StreamSupport.stream(page.get("urls").spliterator(), false)
        .filter(url -> url.get("complete").asBoolean())
        .count();
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
