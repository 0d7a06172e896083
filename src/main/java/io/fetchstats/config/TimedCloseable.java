package io.fetchstats.config;

import java.time.Duration;

/**
 * A part of a process that stops within the time it is given, so that a process stops within one
 * deadline (each part gets what the parts before it left).
 */
public interface TimedCloseable extends AutoCloseable {
  /** Stops within {@code timeout}; what is still running then is abandoned, not waited for. */
  void close(Duration timeout);

  /** Stops within the configured stop timeout. */
  @Override
  void close();
}
