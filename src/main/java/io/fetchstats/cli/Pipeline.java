package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.process.ProcessorApp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Starts the stages one process runs: the embedded broker when no bootstrap servers are given, the
 * topics, and the ingest and/or process stage. Closing stops them in reverse order.
 */
public final class Pipeline implements AutoCloseable {
  /** The stages a process can run. */
  public enum Stage {
    INGEST,
    PROCESS
  }

  private final String bootstrapServers;
  private final Deque<AutoCloseable> started;
  private final ProcessorApp processor;
  private final IngestService ingest;

  private Pipeline(
      String bootstrapServers,
      Deque<AutoCloseable> started,
      ProcessorApp processor,
      IngestService ingest) {
    this.bootstrapServers = bootstrapServers;
    this.started = started;
    this.processor = processor;
    this.ingest = ingest;
  }

  public static Pipeline start(FetchStatsConfig config) {
    return start(config, EnumSet.allOf(Stage.class));
  }

  public static Pipeline start(FetchStatsConfig config, Set<Stage> stages) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      String bootstrap = config.bootstrapServers();
      if (config.embedded()) {
        EmbeddedKafka broker = EmbeddedKafka.start(config.dataDir());
        started.push(broker);
        bootstrap = broker.bootstrapServers();
      }
      try (TopicAdmin admin = new TopicAdmin(config, bootstrap)) {
        admin.createMissing();
      }
      ProcessorApp processor = null;
      if (stages.contains(Stage.PROCESS)) {
        processor = ProcessorApp.start(config, bootstrap);
        started.push(processor);
      }
      IngestService ingest = null;
      if (stages.contains(Stage.INGEST)) {
        ingest = IngestService.start(config, bootstrap);
        started.push(ingest);
      }
      return new Pipeline(bootstrap, started, processor, ingest);
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The stages that have stopped on their own (after an error they log), if any. */
  public List<Stage> stoppedStages() {
    List<Stage> stopped = new ArrayList<>();
    if (processor != null && !processor.isRunning()) {
      stopped.add(Stage.PROCESS);
    }
    if (ingest != null && !ingest.isRunning()) {
      stopped.add(Stage.INGEST);
    }
    return stopped;
  }

  /** Stops what was started, in reverse order; a second call does nothing. */
  @Override
  public synchronized void close() {
    IllegalStateException failure = new IllegalStateException("stopping the pipeline failed");
    closeAll(started, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private static void closeAll(Deque<AutoCloseable> started, Exception failure) {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
