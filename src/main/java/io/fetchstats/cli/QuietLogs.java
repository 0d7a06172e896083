package io.fetchstats.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers a logger to warnings while open, then puts its level back: for commands whose output is a
 * report, where the stages' progress lines (one per ingest transaction) would bury it.
 */
final class QuietLogs implements AutoCloseable {
  private final Logger logger;
  private final Level before;

  QuietLogs(String name) {
    // Without logback (another binding on the classpath) the logs stay as they are.
    this.logger = LoggerFactory.getLogger(name) instanceof Logger logback ? logback : null;
    this.before = logger == null ? null : logger.getLevel();
    if (logger != null) {
      logger.setLevel(Level.WARN);
    }
  }

  @Override
  public void close() {
    if (logger != null) {
      logger.setLevel(before);
    }
  }
}
