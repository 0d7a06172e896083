package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench fetch} at a tiny size, end to end: the report's shape, never its timings. */
class BenchCommandIT {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  @Timeout(240)
  void benchFetchReportsEveryScenarioAsATable() throws IOException {
    Path report = dir.resolve("bench.md");

    int exit =
        execute(
            "bench",
            "fetch",
            "--runs=1",
            "--urls=20",
            "--latency-ms=1",
            "--small-fetches=40",
            "--large-fetches=4",
            "--wrk-seconds=1",
            "--sweep-multiples=1,2",
            "--many-urls=40",
            "--output",
            report.toString());

    assertThat(exit).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(Files.readString(report)).isEqualTo(text);
    assertThat(text).contains("`fetchstats bench fetch --runs=1 --urls=20");

    assertThat(table(text, "Latency-bound"))
        .containsExactly(
            "client|concurrency|URLs|wall s|bound s|ratio|within 1.15x",
            "fetcher alone|64|20",
            "fetcher alone|256|20",
            "ingest to Kafka (committed)|64|20");

    boolean wrk = !text.contains("wrk is not installed");
    List<String> small = table(text, "Small bodies");
    assertThat(small.subList(0, 3))
        .containsExactly(
            "client|concurrency|fetches|fetches/s|of wrk|25%+",
            "fetcher alone|64|40", "ingest to Kafka (committed)|64|40");
    assertThat(small).hasSize(wrk ? 4 : 3);

    List<String> large = table(text, "Large bodies");
    assertThat(large.subList(0, 2))
        .containsExactly("client|concurrency|fetches|MB/s|1 GB/s+", "fetcher alone|8|4");
    assertThat(large).hasSize(wrk ? 3 : 2);
    assertThat(text).containsPattern("Peak heap used during the measured runs: [0-9,]+ MiB");

    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(table(text, "Pool sizes"))
        .containsExactly(
            "pool|x cores|URLs|wall s|bound s|ratio|URLs/s",
            cores + "|1|" + 40 * cores,
            2 * cores + "|2|" + 80 * cores);

    List<List<String>> many = firstTable(text, "Many URLs");
    assertThat(many.stream().map(row -> row.subList(0, 2)))
        .containsExactly(
            List.of("variant", "URLs"),
            List.of("fetcher alone", "40"),
            List.of("whole pipeline", "40"));
    assertThat(many.subList(1, 3))
        .allSatisfy(
            row -> {
              assertPositive(row.get(2));
              assertPositive(row.get(5));
            });
    assertThat(text).contains("Every result of the pipeline checked");
  }

  @Test
  @Timeout(240)
  void benchPipelineReportsEachScenarioAsATableOfPositiveRates() {

    int exit =
        execute(
            "bench",
            "pipeline",
            "--runs=1",
            "--total-mib=1",
            "--sweep-total-mib=1",
            "--sweep-chunk-kib=16,64",
            "--urls=1",
            "--formats=csv");

    assertThat(exit).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("`fetchstats bench pipeline --runs=1 --total-mib=1");

    List<List<String>> endToEnd = firstTable(text, "End to end");
    assertThat(endToEnd.stream().map(row -> row.get(0)))
        .containsExactly("run", "pipeline csv", "ProducerPerformance");
    assertThat(endToEnd.subList(1, 3)).allSatisfy(row -> assertPositive(row.get(2)));

    List<List<String>> scaling = firstTable(text, "Processor scaling");
    assertThat(scaling.stream().map(row -> row.get(0)))
        .containsExactly("processor", "1 stream thread", "2 stream threads");
    assertThat(scaling.subList(1, 3)).allSatisfy(row -> assertPositive(row.get(2)));

    List<List<String>> sweep = firstTable(text, "Chunk sizes");
    assertThat(sweep.get(0))
        .containsExactly("chunk", "csv MB/s", "ProducerPerformance MB/s", "of ProducerPerformance");
    assertThat(sweep.stream().skip(1).map(row -> row.get(0))).containsExactly("16 KiB", "64 KiB");
    assertThat(sweep.subList(1, 3))
        .allSatisfy(
            row -> {
              assertPositive(row.get(1));
              assertPositive(row.get(2));
            });
  }

  @Test
  void anUnknownScenarioIsAUsageError() {

    assertThat(execute("bench", "fetch", "--only", "latency,nope")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("--only");
  }

  /** Runs the command line, its output going to {@link #out} and {@link #err}; its exit code. */
  private int execute(String... args) {
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /**
   * The rows of the section's table, the separator row left out: the header whole, the others cut
   * to their first three cells (what they are, not how fast).
   */
  private static List<String> table(String text, String section) {
    List<List<String>> rows = firstTable(text, section);
    List<String> table = new ArrayList<>();
    table.add(String.join("|", rows.get(0)));
    rows.subList(1, rows.size()).forEach(row -> table.add(String.join("|", row.subList(0, 3))));
    return table;
  }

  /** The rows of the first table of the section, the separator row left out, each as its cells. */
  private static List<List<String>> firstTable(String text, String section) {
    return text.substring(text.indexOf("### " + section))
        .lines()
        .dropWhile(line -> !line.startsWith("|"))
        .takeWhile(line -> line.startsWith("|"))
        .filter(line -> !line.startsWith("| --"))
        .map(line -> Arrays.stream(line.substring(1).split("\\|")).map(String::strip).toList())
        .toList();
  }

  /** A cell such as "12.5 (11.0-13.1)": its median is a positive number. */
  private static void assertPositive(String cell) {
    assertThat(Double.parseDouble(cell.split(" ")[0].replace(",", ""))).as(cell).isPositive();
  }
}
