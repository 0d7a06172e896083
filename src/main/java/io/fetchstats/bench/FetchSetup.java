package io.fetchstats.bench;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
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

  /** The URLs of {@code n} generated text bodies of about {@code bytes}. */
  List<String> urls(int n, int bytes, int latencyMs) {
    String base =
        server.baseUrl()
            + "/gen/text?bytes="
            + bytes
            + (latencyMs > 0 ? "&latency=" + latencyMs : "");
    return IntStream.range(0, n).mapToObj(i -> base + "&seed=" + i % SEEDS + "&id=" + i).toList();
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
      progress.println("starting the embedded Kafka broker and the ingest stage");
      progress.flush();
      broker = EmbeddedKafka.start(dataDir, EmbeddedKafka.anyFreePort());
      ingest =
          IngestRunner.start(
              config(FetchBenchmark.SMALL_POOL).withBootstrapServers(broker.bootstrapServers()));
    }
    return ingest;
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
