package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed attempt is tried again: only a transient failure, only while no chunk of the body
 * has been published (a chunk sent in the open transaction cannot be taken back), and at most
 * {@code maxAttempts} attempts. The wait is the server's {@code Retry-After} if it gave one, else
 * an exponential backoff with full jitter (so many clients failing together do not retry together);
 * a {@code Retry-After} beyond {@code maxWait} ends the retries instead of being cut short.
 */
record RetryPolicy(int maxAttempts, Duration backoff, Duration maxWait) {

  static RetryPolicy of(FetchStatsConfig config) {
    return new RetryPolicy(
        config.fetch().maxAttempts(), config.fetch().retryBackoff(), config.fetch().maxRetryWait());
  }

  /**
   * The wait before attempt number {@code next} (2 for the first retry), or empty when {@code last}
   * is final. {@code random} gives numbers in [0, 1).
   */
  Optional<Duration> waitBefore(int next, FetchResult last, DoubleSupplier random) {
    if (last.ok() || !last.transientFailure() || last.chunks() > 0 || next > maxAttempts) {
      return Optional.empty();
    }
    if (last.retryAfter() != null) {
      return last.retryAfter().compareTo(maxWait) > 0
          ? Optional.empty()
          : Optional.of(last.retryAfter());
    }
    long cap = maxWait.toNanos();
    long first = Math.min(backoff.toNanos(), cap);
    int doublings = next - 2;
    long ceiling = doublings >= 63 || first > cap >> doublings ? cap : first << doublings;
    return Optional.of(Duration.ofNanos((long) (random.getAsDouble() * ceiling)));
  }

  /** Why {@code last}, a failure after {@code attempts} attempts, was not tried again. */
  String whyFinal(int attempts, FetchResult last) {
    if (last.ok() || !last.transientFailure()) {
      return null;
    }
    if (last.chunks() > 0) {
      return "(not retried: part of the body was already published)";
    }
    if (last.retryAfter() != null && last.retryAfter().compareTo(maxWait) > 0) {
      return "(not retried: Retry-After of "
          + last.retryAfter().toSeconds()
          + " s exceeds the "
          + maxWait.toSeconds()
          + " s limit)";
    }
    return attempts > 1 ? "(after " + attempts + " attempts)" : null;
  }
}
