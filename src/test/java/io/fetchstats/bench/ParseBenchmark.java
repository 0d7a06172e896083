package io.fetchstats.bench;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import io.fetchstats.process.FieldCells;
import io.fetchstats.samples.GeneratedBody;
import io.fetchstats.stats.FieldStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + exact statistics of one 8 MiB body of the loopback server's generated data per operation,
 * for each format, beside FastDoubleParser converting the same body's numbers alone (their places
 * found beforehand). MB/s = ops/s x 8.39.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ParseBenchmark {
  static final int BODY_BYTES = 8 << 20;

  @Param({"TEXT", "CSV", "JSON", "NDJSON"})
  public String format;

  private byte[] body;
  private String header;
  private int[] numberStarts;
  private int[] numberEnds;

  @Setup
  public void generate() {
    body = GeneratedBody.of(GeneratedBody.Kind.valueOf(format), 1).bytes(BODY_BYTES);
    header =
        Format.valueOf(format) == Format.CSV
            ? CsvParser.firstRow(body, 0, body.length, (byte) ',')
            : null;
    findNumbers();
  }

  /** Parse and exact statistics of every field, as a chunk is processed. */
  @Benchmark
  public Map<String, FieldStats> parseAndCount() {
    FieldCells cells = new FieldCells();
    Format.valueOf(format).parse(body, 0, body.length, header, true, cells);
    return cells.snapshot();
  }

  /** FastDoubleParser on the same numbers, their places known: the conversion alone. */
  @Benchmark
  public double fastDoubleParserAlone() {
    double sum = 0;
    for (int i = 0; i < numberStarts.length; i++) {
      sum += JavaDoubleParser.parseDouble(body, numberStarts[i], numberEnds[i] - numberStarts[i]);
    }
    return sum;
  }

  /** Runs of digits, signs, points and exponents that start a number. */
  private void findNumbers() {
    List<int[]> numbers = new ArrayList<>();
    int i = 0;
    while (i < body.length) {
      byte c = body[i];
      boolean starts =
          c >= '0' && c <= '9'
              || (c == '-' || c == '+')
                  && i + 1 < body.length
                  && body[i + 1] >= '0'
                  && body[i + 1] <= '9';
      if (!starts || i > 0 && Character.isLetter(body[i - 1])) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < body.length && isNumberByte(body[end])) {
        end++;
      }
      numbers.add(new int[] {i, end});
      i = end;
    }
    numberStarts = numbers.stream().mapToInt(n -> n[0]).toArray();
    numberEnds = numbers.stream().mapToInt(n -> n[1]).toArray();
  }

  private static boolean isNumberByte(byte c) {
    return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  }
}
