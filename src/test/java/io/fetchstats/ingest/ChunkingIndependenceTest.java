package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.ParseReport;
import io.fetchstats.process.FieldCells;
import io.fetchstats.stats.FieldStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The chunker and the parsers together: however a body is cut into chunks, the statistics of its
 * chunks merge to those of the whole body, quotes, stray quotes and line ends included, and a JSON
 * array cut between elements adds up to the whole document.
 */
class ChunkingIndependenceTest {

  /** What parsing a body chunk by chunk adds up to. */
  private record Parsed(Map<String, FieldStats> fields, long rows, long raggedRows) {}

  @Property(tries = 90)
  void csvStatisticsDoNotDependOnChunking(
      @ForAll long seed,
      @ForAll @IntRange(min = 48, max = 4096) int chunkSize,
      @ForAll("delimiters") char delimiter,
      @ForAll boolean asTsv) {
    // A tab-delimited body read as TSV, or as CSV whose delimiter is told from its first line.
    Format format = delimiter == '\t' && asTsv ? Format.TSV : Format.CSV;
    byte[] body = csv(new SplittableRandom(seed), delimiter);
    Parsed whole = parse(format, body, 1 << 20);

    assertThat(whole.rows()).isGreaterThan(20);
    assertThat(whole.fields()).containsKeys("a", "b", "c, quoted");
    assertThat(parse(format, body, chunkSize)).isEqualTo(whole);
  }

  @Provide
  Arbitrary<Character> delimiters() {
    return Arbitraries.of(',', ';', '\t');
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

  @Property(tries = 60)
  void textStatisticsDoNotDependOnChunking(
      @ForAll long seed, @ForAll @IntRange(min = 48, max = 4096) int chunkSize) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    String[] separators = {" ", "\n", ",", ";", "\t", "\r\n", "  "};
    for (int i = 0; i < 400; i++) {
      text.append(random.nextInt(4) == 0 ? "word" : String.valueOf(random.nextDouble(-1e6, 1e6)))
          .append(separators[random.nextInt(separators.length)]);
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);

    // Rows too: a line longer than a chunk is cut between values and still counts once.
    assertThat(parse(Format.TEXT, body, chunkSize)).isEqualTo(parse(Format.TEXT, body, 1 << 20));
  }

  @Property(tries = 60)
  void jsonStatisticsDoNotDependOnChunking(
      @ForAll long seed, @ForAll @IntRange(min = 48, max = 4096) int chunkSize) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder json = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
    json.append(space(random)).append('[');
    for (int i = 0; i < 300; i++) {
      json.append(i == 0 ? "" : ",").append(space(random)).append(jsonElement(random));
    }
    json.append(space(random)).append(']').append(space(random));
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    Parsed whole = parse(Format.JSON, body, 1 << 20);

    assertThat(whole.rows()).isEqualTo(300);
    assertThat(parse(Format.JSON, body, chunkSize)).isEqualTo(whole);
  }

  @Property(tries = 60)
  void nestedJsonDocumentsAreCutAnywhereAndAddUpToTheWhole(
      @ForAll long seed, @ForAll @IntRange(min = 512, max = 4096) int chunkSize) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder json = new StringBuilder();
    // An object or array at the top, containers nested up to four deep, as APIs answer.
    while (json.length() < 8_000) {
      json.setLength(0);
      nestedJson(random, json, 0);
    }
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '#') {
        body[i] = (byte) 0xE9; // a key in Latin-1: not UTF-8, whose length must still be kept
      }
    }
    Parsed whole = parse(Format.JSON, body, 1 << 20);

    assertThat(parse(Format.JSON, body, chunkSize)).isEqualTo(whole);
  }

  private static final String[] KEYS = {
    "\"caf#\"", "\"data\"", "\"price\"", "\"k\\u00e9y\"", "\"a,]\"", "\"\""
  };

  private static void nestedJson(SplittableRandom random, StringBuilder out, int depth) {
    boolean object = random.nextBoolean();
    out.append(object ? '{' : '[').append(space(random));
    int values = depth == 0 ? 40 : random.nextInt(12);
    for (int i = 0; i < values; i++) {
      out.append(i == 0 ? "" : "," + space(random));
      if (object) {
        out.append(KEYS[random.nextInt(KEYS.length)]).append(':').append(space(random));
      }
      if (depth < 4 && random.nextInt(3) == 0) {
        nestedJson(random, out, depth + 1);
      } else {
        out.append(jsonElement(random));
      }
    }
    out.append(space(random)).append(object ? '}' : ']');
  }

  @Property(tries = 60)
  void ndjsonStatisticsDoNotDependOnChunking(
      @ForAll long seed, @ForAll @IntRange(min = 48, max = 4096) int chunkSize) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder ndjson = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
    String[] badLines = {"{\"a\": 1,", "oops", "[1, 2", "{\"k\": \"v\"} x", "{\"b\": 01}"};
    for (int i = 0; i < 300; i++) {
      ndjson.append(
          random.nextInt(20) == 0
              ? badLines[random.nextInt(badLines.length)]
              : jsonElement(random).replaceAll("\\R", " ")); // a line break would end the line
      ndjson.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
      if (random.nextInt(15) == 0) {
        ndjson.append(random.nextBoolean() ? "\n" : " \t\r\n");
      }
    }
    byte[] body = ndjson.toString().getBytes(StandardCharsets.UTF_8);
    Parsed whole = parse(Format.NDJSON, body, 1 << 20);

    assertThat(whole.rows()).isEqualTo(300);
    assertThat(whole.raggedRows()).isPositive();
    assertThat(parse(Format.NDJSON, body, chunkSize)).isEqualTo(whole);
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
              ParseReport report = f.parse(data, 0, data.length, header, seq == 0, sink);
              assertThat(report.error()).as("chunk %d", seq).isNull();
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

  /**
   * A JSON value of at most 40 bytes, so that it fits the smallest chunk: numbers of every form,
   * strings holding separators, brackets, quotes and escapes, literals, and nested containers.
   */
  private static String jsonElement(SplittableRandom random) {
    while (true) {
      String element =
          switch (random.nextInt(8)) {
            case 0 -> jsonNumber(random);
            case 1 -> JSON_STRINGS[random.nextInt(JSON_STRINGS.length)];
            case 2 -> JSON_LITERALS[random.nextInt(JSON_LITERALS.length)];
            case 3 -> "{\"a\":" + space(random) + jsonNumber(random) + ",\"s\":\"x\"}";
            case 4 -> "{\"k\\u00e9y\": [" + jsonNumber(random) + "," + jsonNumber(random) + "]}";
            case 5 -> "[" + jsonNumber(random) + ", [" + jsonNumber(random) + "]]";
            case 6 -> "{\"n\": {\"m\": " + JSON_LITERALS[random.nextInt(3)] + "}, \"a\": 1}";
            default -> "{\"a\": " + JSON_STRINGS[random.nextInt(JSON_STRINGS.length)] + "}";
          };
      if (element.getBytes(StandardCharsets.UTF_8).length <= 40) {
        return element;
      }
    }
  }

  private static final String[] JSON_STRINGS = {
    "\"a,b\"",
    "\"]\"",
    "\"}],[{\"",
    "\"\\\"\"",
    "\"\\\\\"",
    "\"\\u00e9\"",
    "\"12\"",
    "\"\"",
    "\"é\""
  };

  private static final String[] JSON_LITERALS = {"null", "true", "false"};

  private static String jsonNumber(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> Integer.toString(random.nextInt(-1000, 1000));
      case 1 -> Double.toString(random.nextDouble(-1e6, 1e6)); // 1.0E-5 forms included
      case 2 -> "1e17";
      case 3 -> "-0";
      case 4 -> "9007199254740993";
      case 5 -> random.nextBoolean() ? "1e400" : "-1e-400";
      case 6 -> "0.1";
      default -> random.nextInt(100) + "." + random.nextInt(100) + "E-" + random.nextInt(10);
    };
  }

  private static String space(SplittableRandom random) {
    String[] spaces = {"", "", " ", "\n", "\r\n", "\t"};
    return spaces[random.nextInt(spaces.length)];
  }

  /** Rows of numbers, text, empty cells, quoted fields with commas, line ends and stray quotes. */
  /** A CSV body with {@code delimiter}: quotes, stray quotes, ragged rows, blank lines. */
  private static byte[] csv(SplittableRandom random, char delimiter) {
    String header = "a" + delimiter + "b" + delimiter + "\"c, quoted\"";
    StringBuilder csv =
        new StringBuilder(random.nextBoolean() ? "\uFEFF" + header + "\r\n" : header + "\n");
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
      csv.append(String.join(String.valueOf(delimiter), values))
          .append(random.nextInt(5) == 0 ? "\r\n" : "\n");
      if (random.nextInt(15) == 0) {
        csv.append("\n");
      }
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
