package io.fetchstats.app;

import io.fetchstats.api.HttpApi;
import io.fetchstats.api.HttpApi.Health;
import io.fetchstats.api.JobsApi;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.InstanceIdentity;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.process.ProcessorApp;
import io.fetchstats.results.JobProgress;
import io.fetchstats.results.ResultsStore;
import io.fetchstats.submit.JobSubmitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the parts one process runs: the embedded broker when no bootstrap servers are given, the
 * topics, the stages asked for, and the HTTP server (health, metrics, and the jobs API with the API
 * stage). Closing stops them in reverse order, within the stop timeout.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** The stages a process can run. */
  public enum Stage {
    INGEST,
    PROCESS,
    /** The results store and the jobs API over HTTP. */
    API
  }

  private final FetchStatsConfig config;
  private final Deque<AutoCloseable> started;
  private final Metrics metrics;
  private final ProcessorApp processor;
  private final IngestService ingest;
  private final ResultsStore store;
  private final HttpApi http;

  private Pipeline(
      FetchStatsConfig config,
      Deque<AutoCloseable> started,
      Metrics metrics,
      ProcessorApp processor,
      IngestService ingest,
      ResultsStore store,
      HttpApi http) {
    this.config = config;
    this.started = started;
    this.metrics = metrics;
    this.processor = processor;
    this.ingest = ingest;
    this.store = store;
    this.http = http;
  }

  /** Ingest and process, without an HTTP server. */
  public static Pipeline start(FetchStatsConfig config) {
    return start(config, EnumSet.of(Stage.INGEST, Stage.PROCESS), false);
  }

  /**
   * Starts {@code stages}, and with {@code http} (implied by the API stage) the HTTP server on the
   * configured address.
   */
  public static Pipeline start(FetchStatsConfig config, Set<Stage> stages, boolean http) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    Metrics metrics = Metrics.prometheus();
    started.push(metrics);
    try {
      // What can be checked is checked first, in seconds, before anything starts.
      EmbeddedKafka.Claim broker = null;
      if (config.kafka().embedded()) {
        broker =
            started(started, EmbeddedKafka.claim(config.dataDir(), config.kafka().brokerPort()));
      }
      boolean serving = http || stages.contains(Stage.API);
      if (serving) {
        requirePortFree(config);
      }
      if (!stages.isEmpty()) {
        InstanceIdentity identity =
            started(started, InstanceIdentity.claim(config.dataDir(), config.instanceId()));
        config = config.withInstanceId(identity.id());
      }
      if (broker != null) {
        EmbeddedKafka running = started(started, broker.start());
        config = config.withBootstrapServers(running.bootstrapServers());
      }
      try (TopicAdmin admin = new TopicAdmin(config)) {
        admin.requireReachable();
        admin.createMissing(broker != null);
      }
      Map<String, Supplier<Health>> health = new LinkedHashMap<>();
      ProcessorApp processor = null;
      if (stages.contains(Stage.PROCESS)) {
        processor = started(started, ProcessorApp.start(config, metrics));
        ProcessorApp app = processor;
        health.put("process", () -> Health.of(app.state()));
      }
      IngestService ingest = null;
      if (stages.contains(Stage.INGEST)) {
        ingest = started(started, IngestService.start(config, metrics));
        IngestService service = ingest;
        health.put("ingest", () -> service.isRunning() ? Health.UP : Health.DOWN);
      }
      ResultsStore store = null;
      JobsApi jobs = null;
      if (stages.contains(Stage.API)) {
        store = started(started, ResultsStore.start(config, metrics));
        ResultsStore results = store;
        health.put("results-store", () -> Health.of(results.state()));
        jobs = new JobsApi(store, new JobSubmitter(config, Clock.systemUTC()));
        JobProgress.register(metrics, store);
      }
      HttpApi server = null;
      if (serving) {
        server = started(started, startHttp(config, metrics, health, jobs));
      }
      return new Pipeline(config, started, metrics, processor, ingest, store, server);
    } catch (RuntimeException e) {
      closeAll(started, config.stopTimeout(), e);
      throw e;
    }
  }

  /** Fails at once when the HTTP port is taken, rather than after starting everything else. */
  private static void requirePortFree(FetchStatsConfig config) {
    if (config.http().port() == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      // As the HTTP server binds: connections of an earlier run in TIME_WAIT do not count.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(config.http().bind(), config.http().port()));
    } catch (IOException e) {
      throw new UncheckedIOException(cannotListen(config), e);
    }
  }

  private static String cannotListen(FetchStatsConfig config) {
    return "cannot listen on "
        + config.http().bind()
        + ":"
        + config.http().port()
        + " (set --http-port, or 0 for any free port)";
  }

  private static HttpApi startHttp(
      FetchStatsConfig config,
      Metrics metrics,
      Map<String, Supplier<Health>> health,
      JobsApi jobs) {
    try {
      return HttpApi.start(config, metrics, health, jobs);
    } catch (IOException e) {
      throw new UncheckedIOException(cannotListen(config), e);
    }
  }

  private static <T extends AutoCloseable> T started(Deque<AutoCloseable> started, T part) {
    started.push(part);
    return part;
  }

  public String bootstrapServers() {
    return config.kafka().bootstrapServers();
  }

  /**
   * The configuration it runs with: its instance id is the one it claimed, its bootstrap servers
   * the embedded broker's when it started one.
   */
  public FetchStatsConfig config() {
    return config;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The HTTP server's address (host:port), if this process runs one. */
  public java.util.Optional<String> httpAddress() {
    return java.util.Optional.ofNullable(http).map(HttpApi::address);
  }

  /** The web page's URL, if this process serves the jobs API (and so the page). */
  public java.util.Optional<String> pageUrl() {
    return store == null ? java.util.Optional.empty() : httpAddress().map(a -> "http://" + a + "/");
  }

  /** The stages that have stopped on their own (after an error they log), if any. */
  public List<Stage> stoppedStages() {
    List<Stage> stopped = new ArrayList<>();
    if (processor != null && Health.of(processor.state()) == Health.DOWN) {
      stopped.add(Stage.PROCESS);
    }
    if (ingest != null && !ingest.isRunning()) {
      stopped.add(Stage.INGEST);
    }
    if (store != null && Health.of(store.state()) == Health.DOWN) {
      stopped.add(Stage.API);
    }
    return stopped;
  }

  /**
   * Stops what was started, in reverse order, within the stop timeout; a second call does nothing.
   */
  @Override
  public synchronized void close() {
    IllegalStateException failure = new IllegalStateException("stopping the pipeline failed");
    closeAll(started, config.stopTimeout(), failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  /**
   * Closes the parts in reverse order by one deadline: each gets the time the ones before it left,
   * which may be none (it then stops without waiting). The broker's shutdown takes no deadline.
   */
  private static void closeAll(Deque<AutoCloseable> started, Duration timeout, Exception failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      long start = System.nanoTime();
      try {
        if (part instanceof TimedCloseable timed) {
          timed.close(Duration.ofNanos(Math.max(0, deadline - start)));
        } else {
          part.close();
        }
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
      log.debug(
          "Closed the {} in {} ms",
          part.getClass().getSimpleName(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
