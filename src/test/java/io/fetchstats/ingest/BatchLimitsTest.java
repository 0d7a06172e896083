package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.config.FetchStatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {
  private static final Duration BUDGET = Duration.ofMinutes(12);
  private final FetchStatsConfig defaults =
      FetchStatsConfig.builder().dataDir(Path.of("unused")).build();

  @Test
  void quickUrlsTakeFourRoundsOfThePool() {
    FetchStatsConfig quick =
        defaults.toBuilder().fetch(fetch -> fetch.requestTimeout(Duration.ofSeconds(5))).build();

    assertThat(BatchLimits.of(quick, BUDGET)).isEqualTo(new BatchLimits(4 * 32, 4 * 8));
  }

  @Test
  void theDefaultsTakeFourRounds() {
    // 3 attempts of 30 s and 2 waits of 30 s make 2.5 minutes; 4 rounds fit 12.
    assertThat(BatchLimits.of(defaults, BUDGET)).isEqualTo(new BatchLimits(4 * 32, 4 * 8));
  }

  @Test
  void slowUrlsTakeAsManyRoundsAsFitTheTransaction() {
    // 3 attempts of 60 s and 2 waits of 30 s make 4 minutes; 3 rounds fit 12.
    FetchStatsConfig slow =
        defaults.toBuilder().fetch(fetch -> fetch.requestTimeout(Duration.ofSeconds(60))).build();
    assertThat(BatchLimits.of(slow, BUDGET)).isEqualTo(new BatchLimits(3 * 32, 3 * 8));
  }

  @Test
  void aUrlThatMayOutlastATransactionIsAConfigurationError() {
    FetchStatsConfig endless =
        defaults.toBuilder().fetch(fetch -> fetch.requestTimeout(Duration.ofMinutes(5))).build();

    assertThatThrownBy(() -> BatchLimits.of(endless, BUDGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a URL may take 960 s")
        .hasMessageContaining("lower --request-timeout");
  }
}
