package io.fetchstats.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of a whole pipeline on a real broker, called over loopback as a client would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class HttpApiIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_REQUEST = 64 * 1024;

  private final String prefix = "api-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private SampleServer samples;
  private Pipeline pipeline;
  private String api;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    samples =
        SampleServer.start(
            Map.of(
                "/a.txt", text("1 2 3 4\n"),
                "/b.txt", text("10 20\n"),
                "/c.csv",
                    new SampleServer.Resource(
                        200, "text/csv", bytes("x,y\n1,2\n3,4\n"), Map.of())));
    pipeline =
        Pipeline.start(
            FetchStatsConfig.builder()
                .kafka(
                    kafka -> kafka.bootstrapServers(BROKER.bootstrapServers()).topicPrefix(prefix))
                .dataDir(dataDir)
                .fetch(fetch -> fetch.allowPrivateNetworks(true))
                .instanceId("api-test")
                .http(http -> http.withPort(0).withMaxRequestBytes(MAX_REQUEST))
                .build(),
            EnumSet.allOf(Pipeline.Stage.class),
            true);
    api = "http://" + pipeline.httpAddress().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/health").statusCode() == 200);
  }

  @AfterAll
  void stop() {
    pipeline.close();
    samples.close();
  }

  private static SampleServer.Resource text(String body) {
    return new SampleServer.Resource(200, "text/plain", bytes(body), Map.of());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aUrlListPostedAsTextBecomesAJobWhoseResultAndUrlsAreServed() throws IOException {
    HttpResponse<String> posted =
        post(
            "/jobs",
            "text/plain",
            // Not in URL order: the URLs' results come in URL order all the same.
            "# two files\n" + samples.baseUrl() + "/b.txt\n" + samples.baseUrl() + "/a.txt\n");
    assertThat(posted.statusCode()).isEqualTo(201);
    JsonNode submitted = JSON.readTree(posted.body());
    String jobId = submitted.get("jobId").asText();
    assertThat(submitted.get("urls").asInt()).isEqualTo(2);
    assertThat(posted.headers().firstValue("Location")).contains("/jobs/" + jobId);

    JsonNode job = awaitComplete(jobId);
    assertThat(job.get("urlsSucceeded").asInt()).isEqualTo(2);
    JsonNode field = job.get("fields").get(0);
    assertThat(field.get("count").asLong()).isEqualTo(6);
    assertThat(field.get("sum").asDouble()).isEqualTo(40.0);
    assertThat(field.get("min").asDouble()).isEqualTo(1.0);
    assertThat(field.get("max").asDouble()).isEqualTo(20.0);

    JsonNode all = JSON.readTree(get("/jobs/" + jobId + "/urls").body());
    assertThat(all.get("next").isNull()).isTrue();
    List<String> urls = new ArrayList<>();
    all.get("urls").forEach(url -> urls.add(url.get("url").asText()));
    assertThat(urls).containsExactly(samples.baseUrl() + "/a.txt", samples.baseUrl() + "/b.txt");
    assertThat(all.get("urls").get(0).get("fields").get(0).get("count").asLong()).isEqualTo(4);

    JsonNode first = JSON.readTree(get("/jobs/" + jobId + "/urls?limit=1").body());
    assertThat(first.get("urls")).hasSize(1);
    String next = first.get("next").asText();
    assertThat(next).isEqualTo(samples.baseUrl() + "/a.txt");
    JsonNode second =
        JSON.readTree(get("/jobs/" + jobId + "/urls?limit=1&after=" + encode(next)).body());
    assertThat(second.get("urls").get(0).get("url").asText())
        .isEqualTo(samples.baseUrl() + "/b.txt");
  }

  @Test
  void aJsonSubmissionTakesAJobIdAndAFormatAndAJobIdIsTakenOnce() throws IOException {
    String jobId = "json-" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        "{\"jobId\": \""
            + jobId
            + "\", \"format\": \"csv\", \"urls\": [\""
            + samples.baseUrl()
            + "/c.csv\"]}";
    HttpResponse<String> posted = post("/jobs", "application/json", body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    assertThat(JSON.readTree(posted.body()).get("jobId").asText()).isEqualTo(jobId);

    JsonNode job = awaitComplete(jobId);
    List<String> fields = new ArrayList<>();
    job.get("fields").forEach(field -> fields.add(field.get("name").asText()));
    assertThat(fields).containsExactly("x", "y");

    HttpResponse<String> again = post("/jobs", "application/json", body);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(error(again)).contains("taken");
  }

  @Test
  void analyzeGivesTheStatisticsAJobGivesTheSameNumbers() throws IOException {
    HttpResponse<String> analyzed = post("/analyze", "application/json", "[1, 2, 3, 4, 10, 20]");
    assertThat(analyzed.statusCode()).as(analyzed.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(analyzed.body());
    assertThat(result.get("rows").asLong()).isEqualTo(6);
    JsonNode field = result.get("fields").get(0);
    assertThat(field.get("count").asLong()).isEqualTo(6);
    assertThat(field.get("mean").asDouble()).isEqualTo(40.0 / 6);
    assertThat(field.get("p50")).isNotNull();
    assertThat(field.get("histogram").get("counts").size()).isPositive();

    HttpResponse<String> posted =
        post(
            "/jobs", "text/plain", samples.baseUrl() + "/a.txt\n" + samples.baseUrl() + "/b.txt\n");
    JsonNode job = awaitComplete(JSON.readTree(posted.body()).get("jobId").asText());
    JsonNode fromJob = job.get("fields").get(0);
    for (String statistic :
        List.of("count", "sum", "mean", "min", "max", "varianceSample", "p25", "p50", "p99")) {
      assertThat(field.get(statistic)).as(statistic).isEqualTo(fromJob.get(statistic));
    }
    assertThat(field.get("histogram")).isEqualTo(fromJob.get("histogram"));
  }

  /**
   * A job of slow URLs, cancelled while ingest fetches its first ones (8 at a time, as many as a
   * host is given): those not fetched yet end CANCELLED without a request, the job completes as
   * cancelled, and a retry submits the failed ones again as a job that names it.
   */
  @Test
  void aCancelledJobsUnfetchedUrlsEndCancelledAndARetryFetchesThemAgain() throws IOException {
    StringBuilder list = new StringBuilder();
    int count = 40;
    for (int i = 0; i < count; i++) {
      list.append(samples.baseUrl()).append("/a.txt?latency=1500&n=").append(i).append('\n');
    }
    String jobId =
        JSON.readTree(post("/jobs", "text/plain", list.toString()).body()).get("jobId").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/jobs?state=running").body().contains("\"" + jobId + "\""));

    HttpResponse<String> cancelled = delete("/jobs/" + jobId);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    JsonNode job = awaitComplete(jobId);

    assertThat(job.get("state").asText()).isEqualTo("cancelled");
    assertThat(job.get("cancelledAt").asText()).isNotEmpty();
    assertThat(job.get("urlsCompleted").asInt()).isEqualTo(count);
    int notFetched = job.get("urlsCancelled").asInt();
    assertThat(notFetched).isPositive().isLessThan(count);
    assertThat(job.get("urlsSucceeded").asInt()).isEqualTo(count - notFetched);
    // The list, which keeps each job's summary, shows the job's latest result, not the one it
    // first saw (the job was listed as running above).
    JsonNode listed = JSON.readTree(get("/jobs?state=cancelled").body()).get("jobs").get(0);
    assertThat(listed.get("jobId").asText()).isEqualTo(jobId);
    assertThat(listed.get("complete").asBoolean()).isTrue();
    assertThat(listed.get("urlsCancelled").asInt()).isEqualTo(notFetched);
    JsonNode failed = JSON.readTree(get("/jobs/" + jobId + "/urls?failed=true").body());
    assertThat(failed.get("urls")).hasSize(notFetched);
    failed
        .get("urls")
        .forEach(url -> assertThat(url.get("errorClass").asText()).isEqualTo("CANCELLED"));
    assertThat(delete("/jobs/" + jobId).statusCode()).isEqualTo(200); // cancelled before

    HttpResponse<String> retried = post("/jobs/" + jobId + "/retry", "text/plain", "");
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
    JsonNode retry = JSON.readTree(retried.body());
    assertThat(retry.get("urls").asInt()).isEqualTo(notFetched);
    JsonNode again = awaitComplete(retry.get("jobId").asText());
    assertThat(again.get("retryOf").asText()).isEqualTo(jobId);
    assertThat(again.get("urlsSucceeded").asInt()).isEqualTo(notFetched);
    assertThat(again.get("state").asText()).isEqualTo("complete");
  }

  @Test
  void badRequestsGetA4xxWithAJsonError() {
    assertError(post("/analyze", "application/json", "[1, 2"), 400, "PARSE_ERROR");
    assertError(get("/analyze"), 405, "POST");
    assertThat(get("/analyze").headers().firstValue("Allow")).contains("POST");
    assertError(post("/jobs", "text/plain", "# nothing\n\n"), 400, "no URLs");
    assertError(
        post("/jobs", "text/plain", "hello world\n"),
        400,
        "the URL list: an entry is not an http(s) URL; line 1: 'hello world' holds a space");
    assertError(post("/jobs", "application/json", "{\"urls\": [1]}"), 400, "JSON string");
    assertError(post("/jobs", "application/json", "[\"http://a\""), 400, "invalid JSON");
    assertError(
        post("/jobs?format=xml", "text/plain", samples.baseUrl() + "/a.txt"),
        400,
        "unknown format");
    assertError(post("/jobs?jobId=no%20spaces", "text/plain", "http://a"), 400, "invalid job id");
    assertError(get("/jobs/no-such-job"), 404, "no job no-such-job");
    assertError(get("/jobs/no-such-job/urls"), 404, "no job");
    assertError(get("/jobs/a/b/c"), 404, "no such resource");
    assertError(get("/jobs/x/urls?limit=0"), 400, "limit");
    assertError(get("/nothing-here"), 404, "no such resource");
    // The server matches a route's path and what is below it, not any name it begins.
    assertError(get("/healthz"), 404, "no such resource");
    assertError(get("/metricsXYZ"), 404, "no such resource");
    assertError(post("/jobsfoo", "text/plain", "http://a"), 404, "no such resource");
    assertError(post("/analyze/more", "application/json", "[1]"), 404, "no such resource");
    assertError(delete("/jobs/x"), 404, "no job x");
  }

  @Test
  void aBodyOverTheLimitGets413() {
    StringBuilder numbers = new StringBuilder("[");
    while (numbers.length() <= MAX_REQUEST) {
      numbers.append("12345.678,");
    }
    numbers.append("1]");
    assertError(
        post("/analyze", "application/json", numbers.toString()), 413, "--max-request-size");
    // Without a Content-Length (chunked), the limit holds as the body is read.
    byte[] body = numbers.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked =
        send(
            HttpRequest.newBuilder(URI.create(api + "/analyze"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))));
    assertError(chunked, 413, "--max-request-size");
  }

  @Test
  void healthNamesEachPart() throws IOException {
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("components").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("ingest", "process", "results-store");
  }

  /** Prometheus text format 0.0.4: comments, and samples of a name, optional labels and a value. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");

  @Test
  void metricsAreValidPrometheusTextWithTheStagesMeters() throws IOException {
    HttpResponse<String> posted = post("/jobs", "text/plain", samples.baseUrl() + "/a.txt\n");
    awaitComplete(JSON.readTree(posted.body()).get("jobId").asText());

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    List<String> names = new ArrayList<>();
    for (String line : metrics.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      assertThat(line).as("a sample line").matches(SAMPLE);
      names.add(line.substring(0, line.indexOf(line.contains("{") ? '{' : ' ')));
    }
    assertThat(names)
        .contains(
            "fetchstats_fetches_total",
            "fetchstats_fetch_latency_seconds_bucket",
            "fetchstats_fetch_body_bytes_sum",
            "fetchstats_fetch_in_flight",
            "fetchstats_chunks_parsed_total",
            "fetchstats_parse_bytes_total",
            "fetchstats_parse_time_seconds_sum",
            "fetchstats_urls_completed_total",
            "fetchstats_jobs_completed_total",
            "fetchstats_jobs",
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_producer_record_send_total",
            "jvm_memory_used_bytes");
    assertThat(names).anyMatch(name -> name.startsWith("kafka_stream_"));
    assertThat(metrics.body())
        .containsPattern("fetchstats_fetches_total\\{[^}]*outcome=\"ok\"")
        // The ingest stage's own consumer, not only Kafka Streams' consumers, shows its lag.
        .containsPattern(
            "kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client=\"ingest-consumer\"");
  }

  private JsonNode awaitComplete(String jobId) throws IOException {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              HttpResponse<String> job = get("/jobs/" + jobId);
              return job.statusCode() == 200
                  && JSON.readTree(job.body()).get("complete").asBoolean();
            });
    return JSON.readTree(get("/jobs/" + jobId).body());
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(error(response)).contains(message);
  }

  private static String error(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body()).get("error").asText();
    } catch (IOException e) {
      throw new AssertionError("not a JSON error: " + response.body(), e);
    }
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(api + path)).GET());
  }

  private HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(api + path)).DELETE());
  }

  private HttpResponse<String> post(String path, String type, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
