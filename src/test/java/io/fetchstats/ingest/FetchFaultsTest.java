package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.samples.SampleServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every fault the loopback server can inject ends in the right outcome. */
class FetchFaultsTest {
  private static final Chunker.Sink NO_SINK = (seq, format, header, data) -> {};
  private static final FetchStatsConfig CONFIG =
      FetchStatsConfig.builder()
          .dataDir(Path.of("unused"))
          .fetch(
              fetch ->
                  fetch
                      .allowPrivateNetworks(true)
                      .requestTimeout(Duration.ofSeconds(2))
                      .maxBodyBytes(4 << 20)
                      .maxRedirects(5)
                      .maxAttempts(3)
                      .retryBackoff(Duration.ofMillis(10))
                      .maxRetryWait(Duration.ofSeconds(5)))
          .build();

  private static SampleServer server;
  private static HttpFetcher fetcher;

  @BeforeAll
  static void start() {
    server = SampleServer.start(Map.of());
    fetcher = new HttpFetcher(CONFIG);
  }

  @AfterAll
  static void stop() {
    fetcher.close();
    server.close();
  }

  private static FetchResult fetch(String pathAndQuery) {
    return fetcher.fetch(server.baseUrl() + pathAndQuery, null, NO_SINK);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/gen/csv?status=404                    | HTTP_STATUS        | false | HTTP 404",
        "/gen/csv?status=503                    | HTTP_STATUS        | true  | HTTP 503",
        "/gen/csv?status=429                    | HTTP_STATUS        | true  | HTTP 429",
        "/gen/csv?status=501                    | HTTP_STATUS        | false | HTTP 501",
        "/gen/csv?fault=reset                   | CONNECTION_RESET   | true  | ",
        "/gen/csv?redirects=1&fault=reset       | CONNECTION_RESET   | true  | ",
        "/gen/csv?bytes=100000&fault=reset-body | TRUNCATED          | true  | ",
        "/gen/csv?bytes=100000&fault=truncate   | TRUNCATED          | true  | ",
        "/gen/csv?fault=hang                    | TIMEOUT            | true  | within 2000 ms",
        "/gen/text?bytes=100000&fault=slow&rate=2000 | TIMEOUT       | true  | within 2000 ms",
        "/gen/text?fault=gzip-bomb              | TOO_LARGE          | false | inflates more than 100 times",
        "/gen/text?fault=bad-gzip               | DECODE_ERROR       | false | ",
        "/gen/text?fault=redirect-loop          | TOO_MANY_REDIRECTS | false | redirect loop",
        "/gen/text?redirects=6                  | TOO_MANY_REDIRECTS | false | more than 5 redirects",
        "/gen/text?bytes=5000000                | TOO_LARGE          | false | exceeds the limit",
      })
  void eachFaultEndsInItsOutcome(
      String pathAndQuery, FailureClass failure, boolean transientFailure, String text) {
    FetchResult result = fetch(pathAndQuery);

    assertThat(result.failure()).as(result.error()).isEqualTo(failure);
    assertThat(result.transientFailure()).isEqualTo(transientFailure);
    assertThat(result.error()).isNotBlank();
    if (text != null) {
      assertThat(result.error()).contains(text);
    }
  }

  @Test
  void decodesGzipAndDeflateToTheSameBody() {
    FetchResult plain = fetch("/gen/csv?bytes=200000&seed=3");
    FetchResult gzip = fetch("/gen/csv?bytes=200000&seed=3&encoding=gzip");
    FetchResult deflate = fetch("/gen/csv?bytes=200000&seed=3&encoding=deflate");

    assertThat(plain.ok()).isTrue();
    assertThat(List.of(gzip, deflate))
        .allSatisfy(
            decoded -> {
              assertThat(decoded.ok()).as(decoded.error()).isTrue();
              assertThat(decoded.bytes()).isEqualTo(plain.bytes());
              assertThat(decoded.sha256()).isEqualTo(plain.sha256());
            });
  }

  @Test
  void followsRedirectsUpToTheLimit() {
    // A server of its own, so that no request of another test is counted.
    try (SampleServer counting = SampleServer.start(Map.of())) {
      FetchResult result =
          fetcher.fetch(counting.baseUrl() + "/gen/ndjson?redirects=5", null, NO_SINK);

      assertThat(result.ok()).as(result.error()).isTrue();
      assertThat(counting.requests()).isEqualTo(6);
    }
  }

  @Test
  void readsRetryAfterAsSecondsOrADate() {
    assertThat(fetch("/gen/csv?status=503&retryAfter=7").retryAfter())
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(fetch("/gen/csv?status=429&retryAfterDate=60").retryAfter())
        .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
  }

  @Test
  void retriesSucceedOnceTheServerRecovers() {
    try (FetchScheduler scheduler = scheduler(4)) {
      // Not a reset: OkHttp itself retries a request reset before any response on a new
      // connection, which would leave fewer attempts for us to count.
      for (String fault : List.of("status=503", "fault=truncate&bytes=5000", "status=429")) {
        FetchResult result =
            scheduler.fetch(server.baseUrl() + "/gen/text?failures=2&" + fault, NO_SINK).join();

        assertThat(result.ok()).as(fault + ": " + result.error()).isTrue();
        assertThat(result.attempts()).as(fault).isEqualTo(3);
      }
    }
  }

  @Test
  void waitsAsRetryAfterAsks() {
    try (FetchScheduler scheduler = scheduler(4)) {
      FetchResult result =
          scheduler
              .fetch(server.baseUrl() + "/gen/text?failures=1&status=429&retryAfter=1", NO_SINK)
              .join();

      assertThat(result.ok()).isTrue();
      assertThat(result.attempts()).isEqualTo(2);
      // Correctness, not speed: the retry did not come before the server allowed it.
      assertThat(result.latencyMs()).isGreaterThanOrEqualTo(1000);
    }
  }

  @Test
  void thePerHostLimitHoldsAtTheServer() {
    try (SampleServer counting = SampleServer.start(Map.of());
        FetchScheduler scheduler = scheduler(3)) {
      List<CompletableFuture<FetchResult>> results = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        results.add(
            scheduler.fetch(counting.baseUrl() + "/gen/text?latency=50&seed=" + i, NO_SINK));
      }
      results.forEach(result -> assertThat(result.join().ok()).isTrue());

      assertThat(counting.maxConcurrentRequests()).isEqualTo(3);
    }
  }

  /** A scheduler of 16 threads, {@code perHost} at most to one host. */
  private static FetchScheduler scheduler(int perHost) {
    return new FetchScheduler(new HttpFetcher(CONFIG), RetryPolicy.of(CONFIG), 16, perHost);
  }
}
