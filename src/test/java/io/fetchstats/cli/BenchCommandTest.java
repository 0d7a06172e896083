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
class BenchCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  @Timeout(240)
  void benchFetchReportsEveryScenarioAsATable() throws IOException {
    Path report = dir.resolve("bench.md");
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "bench",
            "fetch",
            "--runs=1",
            "--urls=20",
            "--latency-ms=2",
            "--small-fetches=40",
            "--large-fetches=4",
            "--wrk-seconds=1",
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
            2 * cores + "|2|" + 80 * cores,
            4 * cores + "|4|" + 160 * cores,
            8 * cores + "|8|" + 320 * cores,
            16 * cores + "|16|" + 640 * cores,
            32 * cores + "|32|" + 1280 * cores);
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("bench", "fetch", "--only", "latency,nope")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("--only");
  }

  /**
   * The rows of the section's table, the separator row left out: the header whole, the others cut
   * to their first three cells (what they are, not how fast).
   */
  private static List<String> table(String text, String section) {
    String body = text.substring(text.indexOf("### " + section));
    int end = body.indexOf("### ", 4);
    List<List<String>> rows =
        body.substring(0, end < 0 ? body.length() : end)
            .lines()
            .filter(line -> line.startsWith("|") && !line.startsWith("| --"))
            .map(line -> Arrays.stream(line.substring(1).split("\\|")).map(String::strip).toList())
            .toList();
    List<String> table = new ArrayList<>();
    table.add(String.join("|", rows.get(0)));
    rows.subList(1, rows.size()).forEach(row -> table.add(String.join("|", row.subList(0, 3))));
    return table;
  }
}
