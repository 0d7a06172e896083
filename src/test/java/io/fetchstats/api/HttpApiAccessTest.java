package io.fetchstats.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.parse.Format;
import io.fetchstats.results.JobResults;
import io.fetchstats.results.UrlFilter;
import io.fetchstats.submit.JobSink;
import io.fetchstats.submit.JobSubmitter.Submission;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may do what on a real HTTP server on loopback (no Kafka: results and submissions in memory):
 * the web page for anyone who can reach it, and with a token set, POST and DELETE only with it.
 */
@Timeout(30)
class HttpApiAccessTest {
  private static final String TOKEN = "s3cret-token";

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> submitted = new CopyOnWriteArrayList<>();
  private final Metrics metrics = Metrics.prometheus();
  private HttpApi server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
    metrics.close();
  }

  private String start(String token) throws IOException {
    FetchStatsConfig config =
        FetchStatsConfig.builder().http(http -> http.withPort(0).withApiToken(token)).build();
    server = HttpApi.start(config, metrics, Map.of(), new JobsApi(new NoResults(), new Sink()));
    return "http://" + server.address();
  }

  @Test
  void thePageAndItsFilesAreServedSameOriginOnly() throws Exception {
    String api = start(null);

    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(api + "/")).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.body()).contains("<title>fetchstats</title>").contains("/app.js");
    // Nothing from elsewhere: the page works offline.
    assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");

    HttpResponse<String> script = send(HttpRequest.newBuilder(URI.create(api + "/app.js")).GET());
    assertThat(script.headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
    HttpResponse<String> style = send(HttpRequest.newBuilder(URI.create(api + "/app.css")).GET());
    assertThat(style.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    assertThat(send(HttpRequest.newBuilder(URI.create(api + "/other.js")).GET()).statusCode())
        .isEqualTo(404);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(api + "/")).DELETE())
                .headers()
                .firstValue("Allow"))
        .contains("GET");
  }

  @Test
  void withATokenPostAndDeleteNeedItAndReadingDoesNot() throws Exception {
    String api = start(TOKEN);

    HttpResponse<String> without = post(api, null);
    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(without.body()).contains("needs a token").contains("--api-token");
    HttpResponse<String> wrong = post(api, "Bearer not-it");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("wrong token");
    assertThat(send(HttpRequest.newBuilder(URI.create(api + "/jobs/job-1")).DELETE()).statusCode())
        .isEqualTo(401);
    assertThat(submitted).isEmpty();

    assertThat(post(api, "Bearer " + TOKEN).statusCode()).isEqualTo(201);
    assertThat(submitted).hasSize(1);
    // Reading needs no token: the page and the results are for whoever can reach the server.
    assertThat(send(HttpRequest.newBuilder(URI.create(api + "/jobs")).GET()).statusCode())
        .isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(URI.create(api + "/")).GET()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyPostAndDeleteNeedsTheToken() throws Exception {
    String api = start(TOKEN);

    for (String path : List.of("/analyze", "/jobs/job-1/retry")) {
      HttpResponse<String> refused =
          send(
              HttpRequest.newBuilder(URI.create(api + path))
                  .header("Authorization", "bearer " + TOKEN.substring(1))
                  .POST(HttpRequest.BodyPublishers.ofString("[1, 2]")));
      assertThat(refused.statusCode()).as(path).isEqualTo(401);
    }
    // The scheme's name in any case, as HTTP has it.
    assertThat(post(api, "bearer " + TOKEN).statusCode()).isEqualTo(201);
  }

  @Test
  void aPostFromAPageOfAnotherOriginIsRefused() throws Exception {
    String api = start(null);

    HttpResponse<String> elsewhere =
        send(
            HttpRequest.newBuilder(URI.create(api + "/jobs"))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("http://h/a\n")));
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).contains("another origin");
    assertThat(submitted).isEmpty();

    HttpResponse<String> samePage =
        send(
            HttpRequest.newBuilder(URI.create(api + "/jobs"))
                .header("Origin", api)
                .POST(HttpRequest.BodyPublishers.ofString("http://h/a\n")));
    assertThat(samePage.statusCode()).isEqualTo(201);
  }

  /** A web site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing from loopback. */
  @Test
  void onLoopbackOnlyRequestsForALoopbackNameAreAnswered() throws Exception {
    String api = start(null);
    URI address = URI.create(api);

    assertThat(statusLine(address, "evil.example")).contains(" 403 ");
    assertThat(statusLine(address, "localhost:" + address.getPort())).contains(" 200 ");
    assertThat(statusLine(address, "127.0.0.1:" + address.getPort())).contains(" 200 ");
  }

  /** The status line of {@code GET /jobs} sent with {@code Host: host} (a client cannot set it). */
  private static String statusLine(URI address, String host) throws IOException {
    try (Socket socket = new Socket(address.getHost(), address.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /jobs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void withoutATokenPostNeedsNone() throws Exception {
    assertThat(post(start(null), null).statusCode()).isEqualTo(201);
  }

  private HttpResponse<String> post(String api, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + "/jobs"))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("http://h/a\n"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final class NoResults implements JobResults {
    @Override
    public Optional<JobResult> job(String jobId) {
      return Optional.empty();
    }

    @Override
    public List<JobResult> jobs() {
      return List.of();
    }

    @Override
    public List<UrlResult> urls(String jobId, String afterUrl, int limit, UrlFilter filter) {
      return List.of();
    }
  }

  private final class Sink implements JobSink {
    @Override
    public void requireNew(String jobId) {}

    @Override
    public Submission submit(String jobId, List<String> lines, Format format, String retryOf) {
      submitted.add(jobId);
      return new Submission(jobId, lines.size(), 0);
    }

    @Override
    public void cancel(String jobId) {
      submitted.add("cancel " + jobId);
    }

    @Override
    public void close() {}
  }
}
