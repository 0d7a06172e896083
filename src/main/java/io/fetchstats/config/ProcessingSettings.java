package io.fetchstats.config;

/**
 * The processor stage: how many threads parse and aggregate, and how big a job's result gets.
 *
 * @param streamThreads Kafka Streams threads (default: cores of this host)
 * @param maxFailuresListed how many failed URLs a job result lists (all are counted)
 */
public record ProcessingSettings(int streamThreads, int maxFailuresListed) {

  public static final int DEFAULT_MAX_FAILURES_LISTED = 100;

  public ProcessingSettings {
    Settings.require(streamThreads > 0, "stream threads must be positive");
    Settings.require(maxFailuresListed >= 0, "max failures listed must not be negative");
  }

  /** A thread for each core: parsing and merging statistics is CPU-bound. */
  public static ProcessingSettings defaults() {
    return new ProcessingSettings(
        Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_FAILURES_LISTED);
  }

  public ProcessingSettings withStreamThreads(int value) {
    return new ProcessingSettings(value, maxFailuresListed);
  }

  public ProcessingSettings withMaxFailuresListed(int value) {
    return new ProcessingSettings(streamThreads, value);
  }
}
