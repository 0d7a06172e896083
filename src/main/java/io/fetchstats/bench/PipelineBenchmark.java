package io.fetchstats.bench;

import static io.fetchstats.bench.Report.format;
import static io.fetchstats.bench.Report.range;
import static io.fetchstats.bench.Report.section;

import io.fetchstats.config.FetchSettings;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.samples.GeneratedBody;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Benchmarks of the whole pipeline on the embedded broker: the loopback {@link SampleServer}, the
 * ingest stage, Kafka and the processor in this JVM, a job timed from its submission until its
 * complete result is read. Beside it, Kafka's {@link ProducerReference ProducerPerformance} on the
 * same broker at the chunk size; the processor alone at 1 and 2 stream threads; and a sweep of
 * chunk sizes. Variants run in turn, as {@link Runs} does; MB = 10^6 bytes of bodies.
 */
public final class PipelineBenchmark implements AutoCloseable {
  /**
   * What to measure.
   *
   * @param runs measured runs of each variant, after one warm-up run
   * @param totalBytes body bytes of a job of the end-to-end and scaling cases
   * @param urls URLs a job's bytes are split into, of the same size each
   * @param sweepBytes body bytes of a job of the chunk-size sweep
   * @param formats formats of the generated bodies (the scaling case uses the first)
   * @param sweepChunkBytes chunk sizes of the sweep
   */
  public record Settings(
      int runs,
      long totalBytes,
      int urls,
      long sweepBytes,
      List<GeneratedBody.Kind> formats,
      List<Integer> sweepChunkBytes) {
    public Settings {
      formats = List.copyOf(formats);
      sweepChunkBytes = List.copyOf(sweepChunkBytes);
      require(
          !sweepChunkBytes.isEmpty()
              && sweepChunkBytes.stream()
                  .allMatch(
                      bytes ->
                          bytes >= FetchSettings.MIN_CHUNK_BYTES
                              && bytes <= FetchSettings.MAX_CHUNK_BYTES),
          "sweep chunk sizes must be between "
              + (FetchSettings.MIN_CHUNK_BYTES >> 10)
              + " and "
              + (FetchSettings.MAX_CHUNK_BYTES >> 10)
              + " KiB, one at least");
      require(runs > 0, "runs must be positive");
      require(urls > 0, "urls must be positive");
      require(totalBytes >= urls && sweepBytes >= urls, "a URL needs a byte at least");
      require(
          totalBytes / urls <= FetchSettings.DEFAULT_MAX_BODY_BYTES
              && sweepBytes / urls <= FetchSettings.DEFAULT_MAX_BODY_BYTES,
          "a URL's body must stay within the 1 GiB limit: use more URLs");
      require(!formats.isEmpty(), "formats must not be empty");
    }
  }

  private static final double PRODUCER_TARGET = 0.5;
  private static final double SCALING_TARGET = 1.7;

  private final Settings settings;
  private final SampleServer server;
  private final Path dataDir;
  private final PrintWriter progress;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private EmbeddedKafka broker;
  private int jobs;

  /**
   * @param dataDir where the embedded broker keeps its log and the processors their state
   * @param progress told what runs, as it runs
   */
  /** Fails at once, before anything starts, if the reference producer is not installed. */
  public static void requireReference() {
    ProducerReference.requireAvailable();
  }

  public PipelineBenchmark(
      Settings settings, SampleServer server, Path dataDir, PrintWriter progress) {
    this.settings = settings;
    this.server = server;
    this.dataDir = dataDir;
    this.progress = progress;
  }

  /** The machine and JVM the numbers come from. */
  public String environment() {
    return Report.environment(
        "the sample server, the two stages, the embedded broker and ProducerPerformance",
        settings.runs());
  }

  /**
   * Jobs of each format through the whole pipeline at the default chunk size, beside
   * ProducerPerformance sending as many bytes in records of the chunk size.
   */
  public String endToEnd() {
    int chunk = FetchSettings.DEFAULT_CHUNK_BYTES;
    long total = settings.totalBytes();
    try (PipelineStages stages = start("e2e", chunk)) {
      ProducerReference reference = producerReference(stages.config());
      List<Runs.Variant> variants = new ArrayList<>();
      Map<GeneratedBody.Kind, List<PipelineStages.Job>> jobs = new LinkedHashMap<>();
      settings
          .formats()
          .forEach(
              kind ->
                  variants.add(
                      new Runs.Variant(
                          "pipeline " + kind.pathName(),
                          () -> {
                            PipelineStages.Job job = stages.run(kind, total);
                            jobs.computeIfAbsent(kind, k -> new ArrayList<>()).add(job);
                            return PipelineStages.megabytesPerSecond(job);
                          })));
      variants.add(
          new Runs.Variant(
              "ProducerPerformance", () -> reference.megabytesPerSecond(chunk, total / chunk)));
      List<ThreadCpu> cpu = new ArrayList<>();
      List<Measured> rates = measure("end to end", variants, cpu);

      Measured producer = rates.get(rates.size() - 1);
      MarkdownTable table =
          new MarkdownTable("run", "body bytes", "MB/s", "of ProducerPerformance", "50%+");
      for (int i = 0; i < variants.size(); i++) {
        boolean isReference = i == variants.size() - 1;
        double share = rates.get(i).median() / producer.median();
        table.row(
            variants.get(i).label(),
            format("%,d", total),
            range(rates.get(i), "%,.1f"),
            isReference ? "-" : format("%.0f%%", 100 * share),
            isReference ? "-" : share >= PRODUCER_TARGET ? "yes" : "no");
      }
      return section(
          "End to end",
          format(
              "A job of %d URLs of %s bytes each (%s), timed from its submission until its"
                  + " complete result is read; chunks of %,d bytes; %d partitions, %d stream"
                  + " threads, %d fetch threads (%d per host). ProducerPerformance sends as many"
                  + " bytes in records of the chunk size (%s).",
              settings.urls(),
              format("%,d", total / settings.urls()),
              String.join(
                  ", ", settings.formats().stream().map(GeneratedBody.Kind::pathName).toList()),
              chunk,
              stages.config().kafka().partitions(),
              stages.config().processing().streamThreads(),
              stages.config().fetch().threads(),
              stages.config().fetch().maxPerHost(),
              String.join(" ", reference.producerProps()).replace(broker.bootstrapServers(), "…")),
          table,
          cpuNotes(variants, cpu) + progressNotes(jobs));
    }
  }

  /**
   * How soon a job showed progress and how steadily (the warm-up run of each format left out): from
   * its submission until a result counted its first URL, and the longest wait for a result that
   * counted more.
   */
  private static String progressNotes(Map<GeneratedBody.Kind, List<PipelineStages.Job>> jobs) {
    MarkdownTable table =
        new MarkdownTable("job", "first URL counted, s", "longest wait for a newer result, s");
    jobs.forEach(
        (kind, runs) -> {
          List<PipelineStages.Job> measured = runs.subList(1, runs.size());
          table.row(
              "pipeline " + kind.pathName(),
              range(seconds(measured, PipelineStages.Job::firstUrlNanos), "%.2f"),
              range(seconds(measured, PipelineStages.Job::longestGapNanos), "%.2f"));
        });
    return format(
        "%nProgress: from the submission until a result counted the first completed URL, and the"
            + " longest a reader waited for a newer result once it had the first (the last one"
            + " the complete result).%n%n%s",
        table.render());
  }

  private static Measured seconds(
      List<PipelineStages.Job> jobs, ToLongFunction<PipelineStages.Job> nanos) {
    return Measured.of(jobs.stream().map(job -> nanos.applyAsLong(job) / 1e9).toList());
  }

  /**
   * The processor alone: a job's chunks loaded first (the whole pipeline run once), then a new
   * processor (an application id and state of its own) at 1 and at 2 stream threads computes the
   * job's result from them, timed from its start until the complete result is read.
   */
  public String scaling() {
    GeneratedBody.Kind kind = settings.formats().get(0);
    long total = settings.totalBytes();
    FetchStatsConfig config = config("scaling", FetchSettings.DEFAULT_CHUNK_BYTES);
    progress.printf("scaling: loading the chunks of a %s job through the pipeline%n", kind);
    progress.flush();
    String jobId;
    try (PipelineStages stages = stages(config)) {
      jobId = stages.run(kind, total).result().getJobId();
    }
    ProcessorAlone alone = new ProcessorAlone(settings.urls());
    List<Runs.Variant> variants = new ArrayList<>();
    for (int threads : List.of(1, 2)) {
      variants.add(
          new Runs.Variant(
              threads + " stream thread" + (threads == 1 ? "" : "s"),
              () -> alone.megabytesPerSecond(config, threads, jobId)));
    }
    List<ThreadCpu> cpu = new ArrayList<>();
    List<Measured> rates;
    try (alone) {
      rates = measure("scaling", variants, cpu);
    }

    double ratio = rates.get(1).median() / rates.get(0).median();
    MarkdownTable table =
        new MarkdownTable("processor", "body bytes", "MB/s", "x 1 thread", "1.7x+");
    for (int i = 0; i < variants.size(); i++) {
      table.row(
          variants.get(i).label(),
          format("%,d", total),
          range(rates.get(i), "%,.1f"),
          i == 0 ? "1.00" : format("%.2f", ratio),
          i == 0 ? "-" : ratio >= SCALING_TARGET ? "yes" : "no");
    }
    return section(
        "Processor scaling",
        format(
            "One %s job of %d URLs (%,d bytes, chunks of %,d bytes, %d partitions) loaded first;"
                + " then a new processor computes its result from the topics, timed from its"
                + " start (group join included) until its complete result is read.",
            kind.pathName(),
            settings.urls(),
            total,
            config.fetch().chunkBytes(),
            config.kafka().partitions()),
        table,
        cpuNotes(variants, cpu));
  }

  /** Jobs of each format through the whole pipeline at the sweep's chunk sizes. */
  public String chunkSweep() {
    long total = settings.sweepBytes();
    List<PipelineStages> started = new ArrayList<>();
    try {
      List<Runs.Variant> variants = new ArrayList<>();
      for (int chunk : settings.sweepChunkBytes()) {
        PipelineStages stages = start("sweep-" + chunk, chunk);
        started.add(stages);
        for (GeneratedBody.Kind kind : settings.formats()) {
          variants.add(
              new Runs.Variant(
                  format("pipeline %s %d KiB", kind.pathName(), chunk >> 10),
                  () -> stages.megabytesPerSecond(kind, total)));
        }
        ProducerReference reference = producerReference(stages.config());
        variants.add(
            new Runs.Variant(
                format("ProducerPerformance %d KiB", chunk >> 10),
                () -> reference.megabytesPerSecond(chunk, total / chunk)));
      }
      List<Measured> rates = measure("chunk sweep", variants, new ArrayList<>());

      List<String> header = new ArrayList<>(List.of("chunk"));
      settings.formats().forEach(kind -> header.add(kind.pathName() + " MB/s"));
      header.addAll(List.of("ProducerPerformance MB/s", "of ProducerPerformance"));
      MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
      int perChunk = settings.formats().size() + 1;
      for (int c = 0; c < settings.sweepChunkBytes().size(); c++) {
        List<Measured> row = rates.subList(c * perChunk, (c + 1) * perChunk);
        Measured producer = row.get(perChunk - 1);
        List<String> cells =
            new ArrayList<>(List.of(format("%d KiB", settings.sweepChunkBytes().get(c) >> 10)));
        row.forEach(rate -> cells.add(range(rate, "%,.1f")));
        cells.add(
            String.join(
                ", ",
                row.subList(0, perChunk - 1).stream()
                    .map(rate -> format("%.0f%%", 100 * rate.median() / producer.median()))
                    .toList()));
        table.row(cells.toArray(String[]::new));
      }
      return section(
          "Chunk sizes",
          format(
              "Jobs of %d URLs of %,d bytes each (%,d bytes), through the whole pipeline as"
                  + " above at each chunk size; ProducerPerformance sends as many bytes in records"
                  + " of the chunk size.",
              settings.urls(), total / settings.urls(), total),
          table,
          "");
    } finally {
      started.forEach(PipelineStages::close);
    }
  }

  /** Runs the variants as {@link Runs} does, each variant's thread CPU times added to its tally. */
  private List<Measured> measure(
      String scenario, List<Runs.Variant> variants, List<ThreadCpu> cpu) {
    List<Runs.Variant> counted = new ArrayList<>();
    for (Runs.Variant variant : variants) {
      ThreadCpu tally = new ThreadCpu();
      cpu.add(tally);
      counted.add(new Runs.Variant(variant.label(), tally.around(variant.run())));
    }
    return Runs.measure(
        progress, scenario, settings.runs(), counted, () -> cpu.forEach(ThreadCpu::reset));
  }

  private String cpuNotes(List<Runs.Variant> variants, List<ThreadCpu> cpu) {
    MarkdownTable table =
        new MarkdownTable(ThreadCpu.header("CPU s per run").toArray(String[]::new));
    for (int i = 0; i < variants.size(); i++) {
      table.row(cpu.get(i).row(variants.get(i).label()));
    }
    return format(
            "Where the time goes: CPU seconds of a measured run (mean), by thread;"
                + " \"unattributed\" is GC, JIT and threads that ended within the run (such as"
                + " ProducerPerformance's producer); \"of cores\" is the process's CPU time over"
                + " wall time x %d cores.%n%n",
            cores)
        + table.render();
  }

  /** The stages of a pipeline of their own (topics, group, state) at {@code chunkBytes}. */
  private PipelineStages start(String name, int chunkBytes) {
    return stages(config(name, chunkBytes));
  }

  private PipelineStages stages(FetchStatsConfig config) {
    return new PipelineStages(config, server, settings.urls(), () -> ++jobs);
  }

  private FetchStatsConfig config(String name, int chunkBytes) {
    return FetchStatsConfig.builder()
        .dataDir(dataDir)
        .kafka(
            kafka -> kafka.bootstrapServers(bootstrapServers()).topicPrefix("bench-" + name + "."))
        .fetch(
            fetch ->
                fetch
                    .chunkBytes(chunkBytes)
                    .allowPrivateNetworks(true)) // the server is on loopback
        .instanceId("bench-" + name)
        .build();
  }

  private ProducerReference producerReference(FetchStatsConfig config) {
    return ProducerReference.on(
        bootstrapServers(),
        config.kafka().topicPrefix() + "producer-performance",
        config.kafka().partitions());
  }

  /** The embedded broker, started on first use. */
  private String bootstrapServers() {
    if (broker == null) {
      progress.println("starting the embedded Kafka broker");
      progress.flush();
      broker = EmbeddedKafka.start(dataDir.resolve("kafka"), EmbeddedKafka.anyFreePort());
    }
    return broker.bootstrapServers();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Stops the broker, if a scenario started it. */
  @Override
  public void close() {
    if (broker != null) {
      broker.close();
    }
  }
}
