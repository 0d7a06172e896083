package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(700));

  @Test
  void backsOffExponentiallyWithFullJitterUpToTheCap() {
    FetchResult reset = failure(FailureClass.CONNECTION_RESET, null);
    assertThat(policy.waitBefore(2, reset, () -> 0.5)).contains(Duration.ofMillis(50));
    assertThat(policy.waitBefore(3, reset, () -> 0.5)).contains(Duration.ofMillis(100));
    assertThat(policy.waitBefore(4, reset, () -> 0.5)).contains(Duration.ofMillis(200));
    assertThat(policy.waitBefore(5, reset, () -> 0.5)).contains(Duration.ofMillis(350));
    assertThat(policy.waitBefore(2, reset, () -> 0.0)).contains(Duration.ZERO);
    assertThat(policy.waitBefore(6, reset, () -> 0.5)).isEmpty();
  }

  @Test
  void manyDoublingsStayAtTheCap() {
    RetryPolicy many = new RetryPolicy(100, Duration.ofNanos(1L << 34), Duration.ofHours(1));
    FetchResult reset = failure(FailureClass.CONNECTION_RESET, null);
    for (int next = 2; next <= 100; next++) {
      assertThat(many.waitBefore(next, reset, () -> 0.999999).orElseThrow())
          .as("attempt %d", next)
          .isPositive()
          .isLessThanOrEqualTo(Duration.ofHours(1));
    }
    assertThat(many.waitBefore(70, reset, () -> 0.5)).contains(Duration.ofMinutes(30));
  }

  @Test
  void honoursRetryAfterWithinTheCap() {
    assertThat(
            policy.waitBefore(
                2, failure(FailureClass.HTTP_STATUS, Duration.ofMillis(600)), () -> 0.1))
        .contains(Duration.ofMillis(600));
    assertThat(
            policy.waitBefore(
                2, failure(FailureClass.HTTP_STATUS, Duration.ofSeconds(1)), () -> 0.1))
        .isEmpty();
  }

  private static FetchResult failure(FailureClass failure, Duration retryAfter) {
    return new FetchResult(
        null, null, failure, "x", null, Format.TEXT, 0, 0, null, 0, 1, true, retryAfter);
  }
}
