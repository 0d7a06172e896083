package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.config.FetchSettings;
import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import io.fetchstats.samples.GeneratedBody;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * What a stream thread does with the chunks of one 8 MiB body, without Kafka: {@link ChunkParsing}
 * of each chunk of the pipeline's default size into its {@code ChunkStats}, the snapshot and the
 * conversion to Avro objects included. The ceiling of the stream threads' MB per CPU-second; MB/s =
 * ops/s x 8.39. Chunks end at line ends as ingest cuts these formats (JSON, whose chunks re-open
 * their containers, is left out).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ChunkParsingBenchmark {
  static final int BODY_BYTES = 8 << 20;

  @Param({"TEXT", "CSV", "NDJSON"})
  public String format;

  private final List<Chunk> chunks = new ArrayList<>();
  private final ChunkParsing parsing = new ChunkParsing();

  @Setup
  public void cut() {
    byte[] body = GeneratedBody.of(GeneratedBody.Kind.valueOf(format), 1).bytes(BODY_BYTES);
    // Every CSV chunk carries the header row; the first also holds it, and skips it (seq 0).
    String header =
        Format.valueOf(format) == Format.CSV
            ? CsvParser.firstRow(body, 0, body.length, (byte) ',')
            : null;
    int start = 0;
    while (start < body.length) {
      int end = start + FetchSettings.DEFAULT_CHUNK_BYTES;
      end = end < body.length ? lastLineEnd(body, start, end) : body.length;
      ByteBuffer data = ByteBuffer.wrap(Arrays.copyOfRange(body, start, end));
      chunks.add(new Chunk("job", "url", "0:0:0", chunks.size(), format, header, data, 0L));
      start = end;
    }
  }

  /** Every chunk of the body, one after the other, as a stream thread parses them. */
  @Benchmark
  public long parseChunks() {
    long rows = 0;
    for (Chunk chunk : chunks) {
      rows += parsing.parse(chunk).getRows();
    }
    return rows;
  }

  /** The index after the last line end in [start, end). */
  private static int lastLineEnd(byte[] body, int start, int end) {
    int i = end - 1;
    while (i > start && body[i] != '\n') {
      i--;
    }
    return i + 1;
  }
}
