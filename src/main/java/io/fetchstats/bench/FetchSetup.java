package io.fetchstats.bench;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.samples.GeneratedBody;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the fetch benchmarks fetch, and with what: URLs of generated bodies on the sample server,
 * the fetcher's config at a pool size, and the ingest stage on an embedded broker, started on first
 * use.
 */
final class FetchSetup implements AutoCloseable {
  /**
   * The server generates a body per seed and keeps the last 32: with 16 seeds it only serves, as a
   * server of static files would. An {@code id} the server ignores keeps the URLs distinct.
   */
  private static final int SEEDS = 16;

  private final SampleServer server;
  private final Path dataDir;
  private final PrintWriter progress;
  private EmbeddedKafka broker;
  private IngestRunner ingest;

  /**
   * @param dataDir where the embedded broker keeps its log, if a scenario needs one
   * @param progress told when the broker starts
   */
  FetchSetup(SampleServer server, Path dataDir, PrintWriter progress) {
    this.server = server;
    this.dataDir = dataDir;
    this.progress = progress;
  }

  SampleServer server() {
    return server;
  }

  /** The URLs of {@code n} generated text bodies of about {@code bytes}. */
  List<String> urls(int n, int bytes, int latencyMs) {
    return urls(GeneratedBody.Kind.TEXT, n, bytes, latencyMs, "");
  }

  /**
   * The URLs of {@code n} generated bodies of {@code kind} of about {@code bytes}, the i-th of seed
   * {@link #seed seed(i)}; {@code idPrefix} starts their ids (which the server ignores), to tell
   * apart lists of the same bodies.
   */
  List<String> urls(GeneratedBody.Kind kind, int n, int bytes, int latencyMs, String idPrefix) {
    String base =
        server.baseUrl()
            + "/gen/"
            + kind.pathName()
            + "?bytes="
            + bytes
            + (latencyMs > 0 ? "&latency=" + latencyMs : "");
    return IntStream.range(0, n)
        .mapToObj(i -> base + "&seed=" + seed(i) + "&id=" + idPrefix + i)
        .toList();
  }

  /** The seed of the i-th URL of a list. */
  static int seed(int i) {
    return i % SEEDS;
  }

  /** Fetch threads and connections per host both {@code pool}. */
  FetchStatsConfig config(int pool) {
    return FetchStatsConfig.builder()
        .dataDir(dataDir)
        .kafka(kafka -> kafka.topicPrefix("bench."))
        .instanceId("bench")
        .fetch(
            fetch ->
                fetch
                    .threads(pool)
                    .maxPerHost(pool)
                    .allowPrivateNetworks(true)) // the server is on loopback
        .build();
  }

  /** The ingest stage at the small-body pool on the embedded broker, started on first use. */
  IngestRunner ingest() {
    if (ingest == null) {
      String bootstrapServers = bootstrapServers();
      progress.println("starting the ingest stage");
      progress.flush();
      ingest =
          IngestRunner.start(
              config(FetchBenchmark.SMALL_POOL).withBootstrapServers(bootstrapServers));
    }
    return ingest;
  }

  /** The embedded broker's address; the broker started on first use. */
  String bootstrapServers() {
    if (broker == null) {
      progress.println("starting the embedded Kafka broker");
      progress.flush();
      broker = EmbeddedKafka.start(dataDir, EmbeddedKafka.anyFreePort());
    }
    return broker.bootstrapServers();
  }

  /** Stops the ingest stage and the broker, if a scenario started them. */
  @Override
  public void close() {
    try {
      if (ingest != null) {
        ingest.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
