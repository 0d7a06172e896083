package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.parse.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class FetchSchedulerTest {
  private static final Chunker.Sink NO_SINK = (seq, format, header, data) -> {};
  private static final RetryPolicy QUICK_RETRIES =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(1));

  /** A fetcher that holds every fetch until released, and counts what runs at once per host. */
  private static final class HeldFetcher implements Fetcher {
    final CountDownLatch release = new CountDownLatch(1);
    final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    final Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();
    final AtomicInteger runningInAll = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    volatile int mostInAll;

    @Override
    public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
      requests.incrementAndGet();
      String host = url.split("/")[2];
      int now = running.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
      mostAtOnce.merge(host, now, Math::max);
      synchronized (this) {
        mostInAll = Math.max(mostInAll, runningInAll.incrementAndGet());
      }
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.get(host).decrementAndGet();
        runningInAll.decrementAndGet();
      }
      return ok();
    }

    @Override
    public void cancelAll() {
      release.countDown();
    }

    @Override
    public void close() {}
  }

  @Test
  void theQueuesOfOnlyTheBusiestHostsAreMeters() {
    HeldFetcher fetcher = new HeldFetcher();
    try (FetchScheduler scheduler = new FetchScheduler(fetcher, QUICK_RETRIES, 1, 1);
        Metrics metrics = Metrics.inMemory();
        FetchMetrics meters = new FetchMetrics(metrics, scheduler)) {
      List<CompletableFuture<FetchResult>> results = new ArrayList<>();
      for (int host = 0; host < FetchMetrics.HOSTS_SHOWN + 5; host++) {
        for (int i = 0; i <= host % 3; i++) {
          results.add(scheduler.fetch("http://h" + host + ".example/" + i, NO_SINK));
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> fetcher.runningInAll.get() == 1);
      metrics.scrape();
      var gauges = metrics.registry().find("fetchstats.fetch.host.queued").gauges();
      assertThat(gauges).hasSize(FetchMetrics.HOSTS_SHOWN);
      // The hosts left out have no more queued than any shown.
      double least = gauges.stream().mapToDouble(g -> g.value()).min().orElseThrow();
      assertThat(scheduler.queued().values().stream().filter(n -> n > least).count())
          .isLessThanOrEqualTo(FetchMetrics.HOSTS_SHOWN);
      fetcher.release.countDown();
      results.forEach(CompletableFuture::join);
      metrics.scrape();
      assertThat(metrics.registry().find("fetchstats.fetch.host.queued").gauges()).isEmpty();
    }
  }

  @Test
  void holdsThePerHostAndTheGlobalLimit() {
    HeldFetcher fetcher = new HeldFetcher();
    try (FetchScheduler scheduler = new FetchScheduler(fetcher, QUICK_RETRIES, 5, 2)) {
      List<CompletableFuture<FetchResult>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        results.add(scheduler.fetch("http://a.example/" + i, NO_SINK));
        results.add(scheduler.fetch("http://b.example/" + i, NO_SINK));
        results.add(scheduler.fetch("http://c.example/" + i, NO_SINK));
      }
      // Three hosts of two each would be six: the pool of five is the limit.
      await().atMost(Duration.ofSeconds(10)).until(() -> fetcher.runningInAll.get() == 5);
      assertThat(scheduler.load()).containsOnlyKeys("a.example", "b.example", "c.example");
      assertThat(scheduler.inFlight()).isEqualTo(5);
      assertThat(scheduler.queued().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(36 - 5);
      try (Metrics metrics = Metrics.inMemory();
          FetchMetrics meters = new FetchMetrics(metrics, scheduler)) {
        metrics.scrape(); // refreshes the per-host gauges
        for (String host : List.of("a.example", "b.example", "c.example")) {
          assertThat(
                  metrics
                      .registry()
                      .get("fetchstats.fetch.host.queued")
                      .tag("host", host)
                      .gauge()
                      .value())
              .isEqualTo(scheduler.queued().get(host).doubleValue());
        }
        assertThat(metrics.registry().get("fetchstats.fetch.in.flight").gauge().value())
            .isEqualTo(5.0);
      }

      fetcher.release.countDown();
      results.forEach(CompletableFuture::join);

      assertThat(fetcher.mostInAll).isEqualTo(5);
      assertThat(fetcher.mostAtOnce).containsOnlyKeys("a.example", "b.example", "c.example");
      assertThat(fetcher.mostAtOnce.values()).allSatisfy(most -> assertThat(most).isBetween(1, 2));
      assertThat(scheduler.load()).isEmpty();
    }
  }

  @Test
  void aBusyHostDoesNotHoldBackTheOthers() {
    HeldFetcher slow = new HeldFetcher();
    Fetcher fetcher =
        new Fetcher() {
          @Override
          public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
            return url.contains("slow") ? slow.fetch(url, format, sink) : ok();
          }

          @Override
          public void cancelAll() {
            slow.cancelAll();
          }

          @Override
          public void close() {}
        };
    try (FetchScheduler scheduler = new FetchScheduler(fetcher, QUICK_RETRIES, 4, 2)) {
      List<CompletableFuture<FetchResult>> slowOnes = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        slowOnes.add(scheduler.fetch("http://slow.example/" + i, NO_SINK));
      }
      List<CompletableFuture<FetchResult>> quickOnes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        quickOnes.add(scheduler.fetch("http://quick.example/" + i, NO_SINK));
      }

      quickOnes.forEach(f -> assertThat(f).succeedsWithin(Duration.ofSeconds(10)));
      assertThat(slowOnes).noneMatch(CompletableFuture::isDone);
      slow.release.countDown();
      slowOnes.forEach(f -> assertThat(f).succeedsWithin(Duration.ofSeconds(10)));
    }
  }

  @Test
  void aUrlNoLongerWantedWhenItsTurnComesEndsCancelledWithoutARequest() {
    HeldFetcher fetcher = new HeldFetcher();
    AtomicBoolean jobCancelled = new AtomicBoolean();
    try (FetchScheduler scheduler = new FetchScheduler(fetcher, QUICK_RETRIES, 4, 1)) {
      CompletableFuture<FetchResult> first =
          scheduler.fetch("http://h.example/1", "h.example", null, () -> true, NO_SINK);
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.inFlight() == 1);
      // Waits for its host's one slot while its job is cancelled.
      CompletableFuture<FetchResult> second =
          scheduler.fetch(
              "http://h.example/2", "h.example", Format.CSV, () -> !jobCancelled.get(), NO_SINK);
      jobCancelled.set(true);
      fetcher.release.countDown();

      assertThat(first).succeedsWithin(Duration.ofSeconds(10)).matches(FetchResult::ok);
      FetchResult notFetched = second.join();
      assertThat(notFetched.failure()).isEqualTo(FailureClass.CANCELLED);
      assertThat(notFetched.attempts()).isZero();
      assertThat(notFetched.format()).isEqualTo(Format.CSV);
      assertThat(scheduler.inFlight()).isZero();
    }
    assertThat(fetcher.requests).hasValue(1); // the second was never requested
  }

  @Test
  void aFetchThatThrowsAnErrorFailsItsUrlAndFreesItsSlot() {
    Fetcher breaking =
        scripted(
            (n, url) -> {
              if (url.endsWith("/boom")) {
                throw new StackOverflowError("deep");
              }
              return ok();
            });
    try (FetchScheduler scheduler = new FetchScheduler(breaking, QUICK_RETRIES, 1, 1)) {
      assertThat(scheduler.fetch("http://a.example/boom", NO_SINK))
          .failsWithin(Duration.ofSeconds(5));
      assertThat(scheduler.fetch("http://a.example/next", NO_SINK))
          .succeedsWithin(Duration.ofSeconds(5));
    }
  }

  @Test
  void triesATransientFailureAgainUntilItSucceeds() {
    Fetcher recovering = scripted((n, url) -> n < 3 ? transientFailure() : ok());
    try (FetchScheduler scheduler = new FetchScheduler(recovering, QUICK_RETRIES, 2, 2)) {
      FetchResult result = scheduler.fetch("http://a.example/x", NO_SINK).join();

      assertThat(result.ok()).isTrue();
      assertThat(result.attempts()).isEqualTo(3);
    }
  }

  @Test
  void givesUpAfterTheLastAttemptAndSaysSo() {
    Fetcher failing = scripted((n, url) -> failure(FailureClass.TIMEOUT, 0, null));
    try (FetchScheduler scheduler = new FetchScheduler(failing, QUICK_RETRIES, 2, 2)) {
      FetchResult result = scheduler.fetch("http://a.example/x", NO_SINK).join();

      assertThat(result.failure()).isEqualTo(FailureClass.TIMEOUT);
      assertThat(result.attempts()).isEqualTo(3);
      assertThat(result.error()).endsWith("(after 3 attempts)");
    }
  }

  @Test
  void doesNotRetryOnceChunksArePublishedNorAPermanentFailure() {
    try (FetchScheduler scheduler =
        new FetchScheduler(
            scripted((n, url) -> failure(FailureClass.TRUNCATED, 2, null)), QUICK_RETRIES, 2, 2)) {
      FetchResult result = scheduler.fetch("http://a.example/x", NO_SINK).join();
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(result.error()).contains("part of the body was already published");
    }
    try (FetchScheduler scheduler =
        new FetchScheduler(
            scripted((n, url) -> failure(FailureClass.BLOCKED_ADDRESS, 0, null)),
            QUICK_RETRIES,
            2,
            2)) {
      assertThat(scheduler.fetch("http://a.example/x", NO_SINK).join().attempts()).isEqualTo(1);
    }
  }

  @Test
  void aRetryAfterBeyondTheLimitEndsTheRetries() {
    Fetcher limited =
        scripted((n, url) -> failure(FailureClass.HTTP_STATUS, 0, Duration.ofHours(1)));
    try (FetchScheduler scheduler = new FetchScheduler(limited, QUICK_RETRIES, 2, 2)) {
      FetchResult result = scheduler.fetch("http://a.example/x", NO_SINK).join();

      assertThat(result.attempts()).isEqualTo(1);
      assertThat(result.error()).contains("Retry-After of 3600 s exceeds the 1 s limit");
    }
  }

  @Test
  void stopEndsTheWaitsAtOnce() {
    RetryPolicy slowRetries = new RetryPolicy(3, Duration.ofHours(1), Duration.ofHours(1));
    HeldFetcher held = new HeldFetcher();
    Fetcher fetcher =
        scripted(
            (n, url) -> url.contains("held") ? held.fetch(url, null, NO_SINK) : transientFailure());
    try (FetchScheduler scheduler = new FetchScheduler(fetcher, slowRetries, 1, 1)) {
      CompletableFuture<FetchResult> retrying = scheduler.fetch("http://a.example/x", NO_SINK);
      CompletableFuture<FetchResult> inFlight = scheduler.fetch("http://b.example/held", NO_SINK);
      CompletableFuture<FetchResult> queued = scheduler.fetch("http://b.example/held2", NO_SINK);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.runningInAll.get() == 1);

      scheduler.stop();

      assertThat(retrying).failsWithin(Duration.ofSeconds(5));
      assertThat(retrying.isCancelled()).isTrue();
      assertThat(queued).failsWithin(Duration.ofSeconds(5));
      assertThat(inFlight).isNotDone();
      held.release.countDown();
      assertThat(inFlight).succeedsWithin(Duration.ofSeconds(5));
      assertThat(scheduler.fetch("http://c.example/late", NO_SINK))
          .failsWithin(1, TimeUnit.SECONDS);
    }
  }

  @Test
  void cancelEndsTheFetchesInFlightTooAndNoneOfThemGivesAResult() {
    HeldFetcher held = new HeldFetcher();
    try (FetchScheduler scheduler = new FetchScheduler(held, QUICK_RETRIES, 1, 1)) {
      CompletableFuture<FetchResult> inFlight = scheduler.fetch("http://a.example/held", NO_SINK);
      CompletableFuture<FetchResult> queued = scheduler.fetch("http://a.example/next", NO_SINK);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.runningInAll.get() == 1);

      scheduler.cancel();

      // The held fetch returned a result when the fetcher cancelled it: not its URL's outcome.
      assertThat(inFlight).failsWithin(Duration.ofSeconds(5));
      assertThat(inFlight.isCancelled()).isTrue();
      assertThat(queued).failsWithin(Duration.ofSeconds(5));
      assertThat(scheduler.inFlight()).isZero();
    }
  }

  private static FetchResult ok() {
    return new FetchResult(
        200, "http/1.1", null, null, "text/plain", Format.TEXT, 1, 1, "00", 0, 1, false, null);
  }

  private static FetchResult transientFailure() {
    return failure(FailureClass.CONNECT, 0, null);
  }

  private static FetchResult failure(FailureClass failure, int chunks, Duration retryAfter) {
    return new FetchResult(
        failure == FailureClass.HTTP_STATUS ? 503 : null,
        null,
        failure,
        failure.name().toLowerCase(),
        null,
        Format.TEXT,
        0,
        chunks,
        null,
        0,
        1,
        failure != FailureClass.BLOCKED_ADDRESS,
        retryAfter);
  }

  /** A fetcher whose n-th call (from 1) for {@code url} answers {@code answer(n, url)}. */
  private static Fetcher scripted(BiFunction<Integer, String, FetchResult> answer) {
    AtomicInteger calls = new AtomicInteger();
    return new Fetcher() {
      @Override
      public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
        return answer.apply(calls.incrementAndGet(), url);
      }

      @Override
      public void cancelAll() {}

      @Override
      public void close() {}
    };
  }
}
