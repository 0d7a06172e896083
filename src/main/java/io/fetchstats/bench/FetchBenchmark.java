package io.fetchstats.bench;

import static io.fetchstats.bench.Report.format;
import static io.fetchstats.bench.Report.mebibytes;
import static io.fetchstats.bench.Report.range;
import static io.fetchstats.bench.Report.section;

import io.fetchstats.ingest.FetchClient;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Benchmarks of the ingest stage's fetching against the loopback {@link SampleServer}, client and
 * server sharing this machine's cores. A scenario warms each of its variants up once (JIT,
 * connections), then runs the variants in turn, {@code runs} times, so that the machine's drift
 * touches them alike, and renders a markdown section: medians, ranges, ratios.
 */
public final class FetchBenchmark implements AutoCloseable {
  /**
   * What to measure.
   *
   * @param runs measured runs of each variant, after one warm-up run
   * @param urls URLs of a latency-bound run
   * @param latencyMs how long the server waits before each answer in the latency-bound cases
   * @param smallFetches fetches of a ~1 KiB body in a run
   * @param largeFetches fetches of a ~1 MiB body in a run
   * @param wrkDuration how long each run of wrk lasts
   * @param sweepMultiples pool sizes of the sweep, in multiples of the cores
   * @param manyUrls URLs of the big job
   */
  public record Settings(
      int runs,
      int urls,
      int latencyMs,
      int smallFetches,
      int largeFetches,
      Duration wrkDuration,
      List<Integer> sweepMultiples,
      int manyUrls) {
    public Settings {
      sweepMultiples = List.copyOf(sweepMultiples);
      require(
          !sweepMultiples.isEmpty() && sweepMultiples.stream().allMatch(multiple -> multiple > 0),
          "sweep multiples must be positive, one at least");
      require(runs > 0, "runs must be positive");
      require(urls > 0, "urls must be positive");
      require(latencyMs > 0, "latency must be positive");
      require(smallFetches > 0, "small fetches must be positive");
      require(largeFetches > 0, "large fetches must be positive");
      require(wrkDuration.toSeconds() > 0, "wrk must run for a second at least");
      require(manyUrls > 0, "many URLs must be positive");
    }
  }

  static final int SMALL_BYTES = 1024;
  static final int LARGE_BYTES = 1 << 20;
  static final List<Integer> LATENCY_POOLS = List.of(64, 256);
  static final int SMALL_POOL = 64;
  static final int LARGE_POOL = 8;

  /** A sweep run is this many rounds of its pool: 2 s at 50 ms, whatever the pool. */
  static final int SWEEP_ROUNDS = 40;

  private static final double LATENCY_TARGET = 1.15;
  private static final double WRK_TARGET = 0.25;
  private static final double LARGE_TARGET_MB_PER_SECOND = 1000;

  /** One thing measured: who fetches, how many at once, and a run that returns its value. */
  private record Variant(String client, int concurrency, DoubleSupplier run) {}

  private final Settings settings;
  private final PrintWriter progress;
  private final FetchSetup setup;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Optional<Wrk> wrk = Wrk.find();

  /**
   * @param dataDir where the embedded broker keeps its log, if a scenario needs one
   * @param progress told what runs, as it runs
   */
  public FetchBenchmark(
      Settings settings, SampleServer server, Path dataDir, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
    this.setup = new FetchSetup(server, dataDir, progress);
  }

  /** The machine and JVM the numbers come from. */
  public String environment() {
    return Report.environment("client and server (and Kafka)", settings.runs());
  }

  /** n URLs answered after a latency, at 64 and 256 in flight: how close to n x latency / c. */
  public String latencyBound() {
    int n = settings.urls();
    List<String> urls = setup.urls(n, SMALL_BYTES, settings.latencyMs());
    List<FetchClient> clients = new ArrayList<>();
    try {
      List<Variant> variants = new ArrayList<>();
      for (int pool : LATENCY_POOLS) {
        FetchClient client = new FetchClient(setup.config(pool));
        clients.add(client);
        variants.add(
            new Variant(
                "fetcher alone", pool, () -> seconds(FetchPass.over(client, urls).nanos())));
      }
      IngestRunner kafka = setup.ingest();
      variants.add(
          new Variant(
              "ingest to Kafka (committed)", SMALL_POOL, () -> seconds(kafka.fetchAll(urls))));
      List<Measured> walls = measure("latency-bound", variants);

      MarkdownTable table =
          new MarkdownTable(
              "client", "concurrency", "URLs", "wall s", "bound s", "ratio", "within 1.15x");
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get(i);
        double bound = bound(n, variant.concurrency());
        double ratio = walls.get(i).median() / bound;
        table.row(
            variant.client(),
            String.valueOf(variant.concurrency()),
            String.valueOf(n),
            range(walls.get(i), "%.3f"),
            format("%.3f", bound),
            format("%.2f", ratio),
            ratio <= LATENCY_TARGET ? "yes" : "no");
      }
      return section(
          "Latency-bound",
          format(
              "%d distinct URLs of ~1 KiB, each answered after %d ms; fetchThreads = maxPerHost ="
                  + " concurrency; bound = URLs x latency / concurrency.",
              n, settings.latencyMs()),
          table,
          "");
    } finally {
      clients.forEach(FetchClient::close);
    }
  }

  /** ~1 KiB bodies with no latency, 64 in flight: fetches a second, and the share of wrk's. */
  public String smallBodies() {
    int n = settings.smallFetches();
    List<String> urls = setup.urls(n, SMALL_BYTES, 0);
    List<String> wrkErrors = new ArrayList<>();
    try (FetchClient client = new FetchClient(setup.config(SMALL_POOL))) {
      IngestRunner kafka = setup.ingest();
      List<Variant> variants = new ArrayList<>();
      variants.add(
          new Variant(
              "fetcher alone", SMALL_POOL, () -> perSecond(n, FetchPass.over(client, urls))));
      variants.add(
          new Variant(
              "ingest to Kafka (committed)", SMALL_POOL, () -> n / seconds(kafka.fetchAll(urls))));
      wrk.ifPresent(
          tool ->
              variants.add(
                  new Variant(
                      wrkCommand(SMALL_POOL),
                      SMALL_POOL,
                      () -> runWrk(tool, SMALL_POOL, urls.get(0), wrkErrors).requestsPerSecond())));
      List<Measured> rates = measure("small bodies", variants);

      MarkdownTable table =
          new MarkdownTable("client", "concurrency", "fetches", "fetches/s", "of wrk", "25%+");
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get(i);
        boolean reference = i == 2; // wrk, when installed
        Optional<Double> share =
            wrk.isPresent() && !reference
                ? Optional.of(rates.get(i).median() / rates.get(2).median())
                : Optional.empty();
        table.row(
            variant.client(),
            String.valueOf(variant.concurrency()),
            reference ? "-" : String.valueOf(n),
            range(rates.get(i), "%,.0f"),
            share.map(s -> format("%.0f%%", 100 * s)).orElse("-"),
            share.map(s -> s >= WRK_TARGET ? "yes" : "no").orElse("-"));
      }
      return section(
          "Small bodies",
          "Distinct URLs of ~1 KiB with no latency; wrk asks for the first of them again and"
              + " again, on as many connections, in the same run."
              + (wrk.isPresent() ? "" : " wrk is not installed here: no reference rate."),
          table,
          wrkNotes(wrkErrors));
    }
  }

  /** ~1 MiB bodies, 8 in flight: MB/s fetched, hashed and chunked, and the heap it took. */
  public String largeBodies() {
    int n = settings.largeFetches();
    List<String> urls = setup.urls(n, LARGE_BYTES, 0);
    List<String> wrkErrors = new ArrayList<>();
    try (FetchClient client = new FetchClient(setup.config(LARGE_POOL))) {
      List<Variant> variants = new ArrayList<>();
      variants.add(
          new Variant(
              "fetcher alone", LARGE_POOL, () -> megabytesPerSecond(FetchPass.over(client, urls))));
      wrk.ifPresent(
          tool ->
              variants.add(
                  new Variant(
                      wrkCommand(LARGE_POOL),
                      LARGE_POOL,
                      () ->
                          runWrk(tool, LARGE_POOL, urls.get(0), wrkErrors).bytesPerSecond()
                              / 1e6)));
      List<Measured> rates =
          measure("large bodies", variants, HeapPeak::reset); // the peak of the measured runs alone
      long peak = HeapPeak.peakBytes();

      MarkdownTable table =
          new MarkdownTable("client", "concurrency", "fetches", "MB/s", "1 GB/s+");
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get(i);
        boolean reference = i == 1; // wrk, when installed
        table.row(
            variant.client(),
            String.valueOf(variant.concurrency()),
            reference ? "-" : String.valueOf(n),
            range(rates.get(i), "%,.0f"),
            reference ? "-" : rates.get(i).median() >= LARGE_TARGET_MB_PER_SECOND ? "yes" : "no");
      }
      return section(
          "Large bodies",
          "Distinct URLs of ~1 MiB, each body read, SHA-256 hashed and cut into chunks of"
              + " 256 KiB at line ends (the chunks then dropped); MB = 10^6 bytes."
              + (wrk.isPresent()
                  ? " wrk reads the first URL again and again, headers included."
                  : " wrk is not installed here: no reference rate."),
          table,
          format(
                  "Peak heap used during the measured runs: %s (the heap pools' peaks"
                      + " added up, after a full GC), with a max heap of %s.%n",
                  mebibytes(peak), mebibytes(Runtime.getRuntime().maxMemory()))
              + wrkNotes(wrkErrors));
    }
  }

  /**
   * The latency-bound case at pools of some multiples of the cores (1 to 32 by default), {@value
   * #SWEEP_ROUNDS} rounds of the pool each: how the rate grows with the pool, to size it for a
   * given latency.
   */
  public String poolSweep() {
    List<FetchClient> clients = new ArrayList<>();
    try {
      List<Variant> variants = new ArrayList<>();
      for (int multiple : settings.sweepMultiples()) {
        int pool = multiple * cores;
        List<String> urls = setup.urls(SWEEP_ROUNDS * pool, SMALL_BYTES, settings.latencyMs());
        FetchClient client = new FetchClient(setup.config(pool));
        clients.add(client);
        variants.add(
            new Variant(
                "fetcher alone", pool, () -> seconds(FetchPass.over(client, urls).nanos())));
      }
      List<Measured> walls = measure("pool sweep", variants);

      MarkdownTable table =
          new MarkdownTable("pool", "x cores", "URLs", "wall s", "bound s", "ratio", "URLs/s");
      for (int i = 0; i < variants.size(); i++) {
        int pool = variants.get(i).concurrency();
        int n = SWEEP_ROUNDS * pool;
        Measured wall = walls.get(i);
        table.row(
            String.valueOf(pool),
            String.valueOf(settings.sweepMultiples().get(i)),
            String.valueOf(n),
            range(wall, "%.3f"),
            format("%.3f", bound(n, pool)),
            format("%.2f", wall.median() / bound(n, pool)),
            format("%,.0f", n / wall.median()));
      }
      return section(
          "Pool sizes",
          format(
              "The latency-bound case (%d ms) with fetchThreads = maxPerHost = pool, %d URLs per"
                  + " thread: by Little's law a pool of p fetches at most p / latency URLs a"
                  + " second.",
              settings.latencyMs(), SWEEP_ROUNDS),
          table,
          "");
    } finally {
      clients.forEach(FetchClient::close);
    }
  }

  /**
   * A job of many small URLs answered after 10 ms: the whole pipeline against the fetcher alone,
   * peak heaps, the job's result checked exact (see {@link ManyUrls}).
   */
  public String manyUrls() {
    return new ManyUrls(setup, settings.manyUrls(), settings.runs(), progress).report();
  }

  private List<Measured> measure(String scenario, List<Variant> variants) {
    return measure(scenario, variants, () -> {});
  }

  /** Warms each variant up once, runs {@code beforeRuns}, then runs them all in turn. */
  private List<Measured> measure(String scenario, List<Variant> variants, Runnable beforeRuns) {
    List<Runs.Variant> runs =
        variants.stream()
            .map(v -> new Runs.Variant(v.client() + " c=" + v.concurrency(), v.run()))
            .toList();
    return Runs.measure(progress, scenario, settings.runs(), runs, beforeRuns);
  }

  /** Runs wrk; what it reports as errors goes to {@code errors}, for the section's notes. */
  private Wrk.Result runWrk(Wrk tool, int connections, String url, List<String> errors) {
    Wrk.Result result = tool.run(2, connections, settings.wrkDuration(), url);
    result.errors().ifPresent(errors::add);
    return result;
  }

  private static String wrkNotes(List<String> errors) {
    return errors.isEmpty()
        ? ""
        : format(
            "wrk reported errors in %d run(s): %s%n", errors.size(), String.join("; ", errors));
  }

  private String wrkCommand(int connections) {
    return "wrk -t2 -c" + connections + " -d" + settings.wrkDuration().toSeconds() + "s";
  }

  private double bound(int urls, int pool) {
    return urls * (settings.latencyMs() / 1e3) / pool;
  }

  private static double perSecond(int fetches, FetchPass pass) {
    return fetches / seconds(pass.nanos());
  }

  private static double megabytesPerSecond(FetchPass pass) {
    return pass.bytes() * 1e3 / pass.nanos();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Stops the ingest stage and the broker, if a scenario started them. */
  @Override
  public void close() {
    setup.close();
  }
}
