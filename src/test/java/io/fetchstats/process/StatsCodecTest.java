package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsCodecTest {
  @Test
  void exactStatisticsSurviveTheWireUnchanged() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 200; round++) {
      FieldAccumulator accumulator = new FieldAccumulator();
      int n = random.nextInt(0, 50);
      for (int i = 0; i < n; i++) {
        accumulator.add(
            switch (random.nextInt(4)) {
              case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern, NaN included
              case 1 -> random.nextDouble(-1e6, 1e6);
              case 2 -> -0.0;
              default -> Double.MIN_VALUE * random.nextInt(-5, 5);
            });
      }
      FieldStats stats = accumulator.snapshot();

      assertThat(StatsCodec.fromAvro(StatsCodec.toAvro("f", stats))).isEqualTo(stats);
    }
  }

  @Test
  void aWideCsvChunkStaysFarBelowTheRecordLimit() {
    String header =
        IntStream.range(0, 2_500).mapToObj(i -> "column" + i).collect(Collectors.joining(","));
    String row =
        IntStream.range(0, 2_500).mapToObj(i -> i + ".25").collect(Collectors.joining(","));
    String body = header + "\n" + row + "\n" + row + "\n";
    Chunk chunk =
        new Chunk(
            "job",
            "http://h/wide.csv",
            "0:0:0",
            0,
            "CSV",
            header,
            ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));

    byte[] encoded = AvroSerde.of(ChunkStats.class).encode(ChunkParsing.parse(chunk));

    assertThat(encoded.length).isLessThan(200_000);
  }
}
