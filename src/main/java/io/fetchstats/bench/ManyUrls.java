package io.fetchstats.bench;

import static io.fetchstats.bench.Report.format;
import static io.fetchstats.bench.Report.range;
import static io.fetchstats.bench.Report.section;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.FetchClient;
import io.fetchstats.samples.GeneratedBody;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A big job of small URLs (issue 14, "Big jobs and live progress"): the fetcher alone and the whole
 * pipeline (ingest, the embedded broker and the processor in this JVM, as {@code run} has them) on
 * the same URLs, in turn as {@link Runs} has them; the peak heap of each run; each job's result
 * checked against what the server served.
 */
final class ManyUrls {
  /** The default fetch pool, as the job of the issue had, every slot free for the one host. */
  static final int POOL = 32;

  static final int LATENCY_MS = 10;
  static final int BODY_BYTES = 1024;
  private static final double TARGET = 1.5;

  private final FetchSetup setup;
  private final int urls;
  private final int runs;
  private final PrintWriter progress;
  private int jobs;

  /**
   * @param urls URLs of the job
   * @param progress told what runs, as it runs
   */
  ManyUrls(FetchSetup setup, int urls, int runs, PrintWriter progress) {
    this.setup = setup;
    this.urls = urls;
    this.runs = runs;
    this.progress = progress;
  }

  /** The section: both variants' wall times, their ratio, peak heaps and the result's check. */
  String report() {
    ServedCsv served = ServedCsv.of(urls, BODY_BYTES, FetchSetup::seed);
    List<String> fetched =
        setup.urls(GeneratedBody.Kind.CSV, urls, BODY_BYTES, LATENCY_MS, "alone-");
    FetchStatsConfig config =
        setup.config(POOL).toBuilder()
            .kafka(
                kafka ->
                    kafka.bootstrapServers(setup.bootstrapServers()).topicPrefix("bench-many."))
            .instanceId("bench-many")
            .build();
    List<Double> gaps = new ArrayList<>();
    HeapPeak aloneHeap = new HeapPeak();
    HeapPeak pipelineHeap = new HeapPeak();
    List<Measured> walls;
    try (FetchClient client = new FetchClient(config);
        PipelineStages stages = new PipelineStages(config, setup.server(), urls, () -> ++jobs)) {
      List<Runs.Variant> variants =
          List.of(
              new Runs.Variant(
                  "fetcher alone",
                  aloneHeap.around(() -> FetchPass.over(client, fetched).nanos() / 1e9)),
              new Runs.Variant(
                  "pipeline", pipelineHeap.around(() -> pipelineSeconds(stages, served, gaps))));
      walls =
          Runs.measure(
              progress,
              "many URLs",
              runs,
              variants,
              () -> {
                aloneHeap.clear();
                pipelineHeap.clear();
                gaps.clear();
              });
    }

    double bound = urls * (LATENCY_MS / 1e3) / POOL;
    double ratio = walls.get(1).median() / walls.get(0).median();
    MarkdownTable table =
        new MarkdownTable(
            "variant", "URLs", "wall s", "URLs/s", "x fetcher alone", "peak heap MiB", "1.5x-");
    table.row(
        "fetcher alone",
        String.valueOf(urls),
        range(walls.get(0), "%.2f"),
        format("%,.0f", urls / walls.get(0).median()),
        "1.00",
        range(aloneHeap.measured(), "%,.0f"),
        "-");
    table.row(
        "whole pipeline",
        String.valueOf(urls),
        range(walls.get(1), "%.2f"),
        format("%,.0f", urls / walls.get(1).median()),
        format("%.2f", ratio),
        range(pipelineHeap.measured(), "%,.0f"),
        ratio <= TARGET ? "yes" : "no");
    return section(
        "Many URLs",
        format(
            "A job of %,d distinct URLs of CSV bodies of ~%,d bytes (%,d rows, %,d body bytes),"
                + " each answered after %d ms; %d fetch threads, %d per host; Little's bound %.2f"
                + " s. The fetcher alone fetches them; the whole pipeline (ingest, the embedded"
                + " broker and the processor in this JVM) is timed from the job's submission"
                + " until its complete result is read.",
            urls, BODY_BYTES, served.rows(), served.bytes(), LATENCY_MS, POOL, POOL, bound),
        table,
        format(
            "Every result of the pipeline checked: its URLs, bytes, rows and each column's count,"
                + " sum, mean, min and max are those of the bodies served, bit for bit. Peak heap:"
                + " the heap pools' peaks added up in each run, from a full collection before it;"
                + " the pipeline's is the whole JVM's (server, ingest, broker and processor)."
                + " Longest wait for a newer job result, as a reader saw them (from the first on): %s s.%n",
            range(Measured.of(gaps), "%.2f")));
  }

  /** A job through the pipeline: its wall seconds, once its result is checked exact. */
  private double pipelineSeconds(PipelineStages stages, ServedCsv served, List<Double> gaps) {
    PipelineStages.Job job =
        stages.run(
            jobId -> setup.urls(GeneratedBody.Kind.CSV, urls, BODY_BYTES, LATENCY_MS, jobId + "-"));
    List<String> errors = served.errors(job.result());
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "job " + job.result().getJobId() + " is not exact: " + String.join("; ", errors));
    }
    gaps.add(job.longestGapNanos() / 1e9);
    return job.nanos() / 1e9;
  }
}
