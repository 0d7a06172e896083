package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;

/** What is known so far of one attempt at a URL, filled in as its response and body arrive. */
final class FetchAttempt {
  private final long start;

  /** The submitter's format, or null to tell it from the response. */
  final Format override;

  Integer status;
  String protocol;
  String contentType;
  Format format = Format.TEXT;
  long bytes;
  int chunks;
  String sha256;
  private Duration retryAfter;
  // Written by the fetching thread, read by the watchdog's.
  volatile long publishNanos;
  volatile boolean expired;
  volatile Call call;
  volatile ScheduledFuture<?> watchdog;

  FetchAttempt(long start, Format override) {
    this.start = start;
    this.override = override;
  }

  /** What a redirect's response told is not the next hop's. */
  void newHop() {
    status = null;
    protocol = null;
    contentType = null;
  }

  /** Time spent on this attempt, less the time spent publishing its chunks. */
  long networkNanos() {
    return System.nanoTime() - start - publishNanos;
  }

  FetchResult httpStatus(Response response, Clock clock) {
    retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant()).orElse(null);
    String text = response.message().isEmpty() ? "" : " " + response.message();
    return failed(FailureClass.HTTP_STATUS, "HTTP " + response.code() + text);
  }

  FetchResult failed(FailureClass failure, String error) {
    return result(failure, error);
  }

  FetchResult succeeded() {
    return result(null, null);
  }

  private FetchResult result(FailureClass failure, String error) {
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new FetchResult(
        status,
        protocol,
        failure,
        error,
        contentType,
        format,
        bytes,
        chunks,
        sha256,
        latencyMs,
        1,
        failure != null && FetchFailures.isTransient(failure, status),
        retryAfter);
  }
}
