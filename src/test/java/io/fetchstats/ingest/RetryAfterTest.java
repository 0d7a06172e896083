package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void readsSecondsAndHttpDates() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 12:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("Friday, 27-Nov-26 12:00:45 GMT", NOW))
        .contains(Duration.ofSeconds(45));
    assertThat(RetryAfter.parse("Fri Nov 27 12:01:00 2026", NOW)).contains(Duration.ofMinutes(1));
    assertThat(RetryAfter.parse("Tue Dec  1 12:00:00 2026", NOW)).contains(Duration.ofDays(4));
    assertThat(RetryAfter.parse("99999999999999999999999", NOW))
        .contains(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void ignoresWhatIsNeither() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
  }
}
