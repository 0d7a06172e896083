package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;

/**
 * How many URLs one ingest transaction takes, so that it ends within the transaction timeout even
 * when every URL takes its worst time (every attempt timing out, every wait between them at its
 * cap) and one host's URLs queue behind its per-host limit.
 *
 * @param maxUrls URLs of a transaction at most: a few rounds of the pool, fewer if rounds are long
 * @param maxUrlsPerHost URLs of one host in a transaction at most
 */
record BatchLimits(int maxUrls, int maxUrlsPerHost) {
  /** Rounds of the pool a transaction takes when fetches are quick: keeps every thread busy. */
  private static final int ROUNDS = 4;

  static BatchLimits of(FetchStatsConfig config, Duration budget) {
    Duration worstUrl =
        config
            .fetch()
            .requestTimeout()
            .multipliedBy(config.fetch().maxAttempts())
            .plus(config.fetch().maxRetryWait().multipliedBy(config.fetch().maxAttempts() - 1L));
    long rounds = Math.min(ROUNDS, budget.dividedBy(worstUrl));
    if (rounds < 1) {
      throw new IllegalArgumentException(
          "a URL may take "
              + worstUrl.toSeconds()
              + " s (attempts x request timeout + waits between them), more than a transaction"
              + " may stay open ("
              + budget.toSeconds()
              + " s): lower --request-timeout, --max-attempts or --max-retry-wait");
    }
    return new BatchLimits(
        (int) (config.fetch().threads() * rounds), (int) (config.fetch().maxPerHost() * rounds));
  }
}
