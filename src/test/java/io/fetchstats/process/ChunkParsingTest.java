package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.domain.Fields;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One {@link ChunkParsing} parses chunk after chunk with the accumulators it keeps: each chunk's
 * statistics are those a new one gives it, whatever came before (other formats, headers, widths, a
 * chunk that failed halfway).
 */
class ChunkParsingTest {

  @Test
  void aChunkParsedAfterOthersHasTheStatisticsOfOneParsedAlone() {
    List<Chunk> chunks = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      chunks.add(chunk("CSV", "id,value,label", "1,2.5,a\n2,-7,b\n3,,c\n4,x,d\n"));
      chunks.add(chunk("CSV", wideHeader(Fields.MAX_FIELDS + 1), wideRow(Fields.MAX_FIELDS + 1)));
      chunks.add(chunk("CSV", wideHeader(40), wideRow(40) + wideRow(40)));
      chunks.add(chunk("JSON", null, "{\"a\":[1,2,3],\"b\":{\"c\":4.5}}"));
      chunks.add(chunk("JSON", null, "{\"a\":[1,2,"));
      chunks.add(chunk("TEXT", null, manyValues(9_000)));
      chunks.add(chunk("NDJSON", null, "{\"value\":1e300}\n{\"value\":-1e-300}\n"));
      chunks.add(chunk("TEXT", null, "1 1 2 2 3 nan inf\n"));
    }
    ChunkParsing reused = new ChunkParsing();

    for (Chunk chunk : chunks) {
      ChunkStats alone = new ChunkParsing().parse(chunk);
      assertThat(reused.parse(chunk)).as(chunk.getFormat()).isEqualTo(alone);
    }
  }

  private static Chunk chunk(String format, String header, String data) {
    return new Chunk(
        "job",
        "http://h/data",
        "0:0:0",
        1,
        format,
        header,
        ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)),
        null);
  }

  private static String wideHeader(int columns) {
    return IntStream.range(0, columns).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
  }

  private static String wideRow(int columns) {
    return IntStream.range(0, columns).mapToObj(i -> i + ".25").collect(Collectors.joining(","))
        + "\n";
  }

  /** More distinct values than exact counts keep, so that they give up. */
  private static String manyValues(int n) {
    return IntStream.range(0, n).mapToObj(i -> i + ".5").collect(Collectors.joining("\n"));
  }
}
