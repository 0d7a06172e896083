package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.ParseReport;
import io.fetchstats.parse.TextParser;
import io.fetchstats.process.FieldCells;
import io.fetchstats.stats.FieldStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunker and the parsers together: however a body is cut into chunks, the statistics of its
 * chunks merge to those of the whole body, quotes, stray quotes and line ends included.
 */
class ChunkingIndependenceTest {
  private static final int[] CHUNK_SIZES = {48, 61, 97, 128, 333, 1024, 1 << 20};

  /** What parsing a body chunk by chunk adds up to. */
  private record Parsed(Map<String, FieldStats> fields, long rows, long raggedRows) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void csvStatisticsDoNotDependOnChunking(long seed) {
    byte[] body = csv(new SplittableRandom(seed));
    Parsed whole = parse(Format.CSV, body, 1 << 20);

    assertThat(whole.rows()).isGreaterThan(20);
    for (int size : CHUNK_SIZES) {
      assertThat(parse(Format.CSV, body, size)).as("chunk size %d", size).isEqualTo(whole);
    }
  }

  @org.junit.jupiter.api.Test
  void aStrayQuoteMeansTheSameWhateverTheChunkSize() {
    StringBuilder csv = new StringBuilder("v,w\n");
    for (int row = 0; row < 30_000; row++) {
      csv.append(row == 10_000 ? "\"oops" : String.valueOf(row))
          .append(',')
          .append(row % 7)
          .append('\n');
    }
    byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
    Parsed whole = parse(Format.CSV, body, 1 << 20);

    assertThat(whole.fields().get("v").count()).isEqualTo(29_999);
    for (int size : new int[] {CsvParser.MAX_QUOTED_BYTES + 4096, 128 * 1024, 256 * 1024}) {
      assertThat(parse(Format.CSV, body, size)).as("chunk size %d", size).isEqualTo(whole);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void textStatisticsDoNotDependOnChunking(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    String[] separators = {" ", "\n", ",", ";", "\t", "\r\n", "  "};
    for (int i = 0; i < 400; i++) {
      text.append(random.nextInt(4) == 0 ? "word" : String.valueOf(random.nextDouble(-1e6, 1e6)))
          .append(separators[random.nextInt(separators.length)]);
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    Parsed whole = parse(Format.TEXT, body, 1 << 20);

    for (int size : CHUNK_SIZES) {
      Parsed chunked = parse(Format.TEXT, body, size);
      assertThat(chunked.fields()).as("chunk size %d", size).isEqualTo(whole.fields());
    }
  }

  private static Parsed parse(Format format, byte[] body, int chunkSize) {
    Map<String, FieldStats> fields = new TreeMap<>();
    long[] rows = new long[2];
    Chunker chunker =
        new Chunker(
            format,
            chunkSize,
            (seq, f, header, data) -> {
              FieldCells sink = new FieldCells();
              ParseReport report =
                  f == Format.CSV
                      ? CsvParser.parse(data, 0, data.length, header, seq == 0, sink)
                      : TextParser.parse(data, 0, data.length, sink);
              rows[0] += report.rows();
              rows[1] += report.raggedRows();
              sink.snapshot()
                  .forEach((name, stats) -> fields.merge(name, stats, FieldStats::merge));
            });
    for (int i = 0; i < body.length; i += 7) {
      chunker.write(body, i, Math.min(7, body.length - i));
    }
    chunker.finish();
    return new Parsed(fields, rows[0], rows[1]);
  }

  /** Rows of numbers, text, empty cells, quoted fields with commas, line ends and stray quotes. */
  private static byte[] csv(SplittableRandom random) {
    StringBuilder csv =
        new StringBuilder(
            random.nextBoolean() ? "\uFEFFa,b,\"c, quoted\"\r\n" : "a,b,\"c, quoted\"\n");
    String[] cells = {
      "1.5",
      "-2e3",
      "",
      "\"7\"",
      "\"x,\ny\"",
      "12\"",
      "\"\"\"q\"\"\"",
      "  3  ",
      "NaN",
      "text",
      "\"4\" junk"
    };
    for (int row = 0; row < 60; row++) {
      int n = random.nextInt(10) == 0 ? 4 : 3; // now and then a ragged row
      List<String> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add(cells[random.nextInt(cells.length)]);
      }
      csv.append(String.join(",", values)).append(random.nextInt(5) == 0 ? "\r\n" : "\n");
      if (random.nextInt(15) == 0) {
        csv.append("\n");
      }
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
