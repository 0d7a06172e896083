package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.domain.Fields;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import io.fetchstats.stats.Sketch;
import io.fetchstats.stats.ValueCounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
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
    Chunk chunk = wideCsv(Fields.MAX_FIELDS);

    ChunkStats stats = new ChunkParsing().parse(chunk);

    assertThat(stats.getError()).isNull();
    assertThat(stats.getFields()).hasSize(Fields.MAX_FIELDS);
    assertThat(AvroSerde.of(ChunkStats.class).encode(stats).length).isLessThan(200_000);
  }

  @Test
  void aChunkWithMoreFieldsThanAUrlMayHaveFailsItsUrlWithoutItsStatistics() {
    ChunkStats stats = new ChunkParsing().parse(wideCsv(Fields.MAX_FIELDS + 1));

    assertThat(stats.getErrorClass()).isEqualTo("TOO_MANY_FIELDS");
    assertThat(stats.getError()).contains("statistics of more than 2000 distinct fields");
    assertThat(stats.getFields()).isEmpty();
    // The reviewer's case: 400,000 columns made a repartition record of 17 MB.
    ChunkStats huge = new ChunkParsing().parse(wideCsv(400_000));
    assertThat(huge.getErrorClass()).isEqualTo("TOO_MANY_FIELDS");
    assertThat(AvroSerde.of(ChunkStats.class).encode(huge).length).isLessThan(1_000);
  }

  /**
   * The bound and the exact counts' charge are at least the bytes Avro writes, for any values, and
   * grow as fields merge.
   */
  @Property(tries = 200)
  void theSizeBoundHoldsAndOnlyGrowsWithMerges(
      @ForAll("values") List<Double> left, @ForAll("values") List<Double> right) {
    Fields a = field(left);
    Fields b = field(right);
    Fields merged = a.merge(b);

    for (Fields stats : List.of(a, b, merged)) {
      assertThat(stats.sizeBound() + stats.exactBytes()).isGreaterThanOrEqualTo(encoded(stats));
    }
    assertThat(merged.sizeBound())
        .isGreaterThanOrEqualTo(a.sizeBound())
        .isGreaterThanOrEqualTo(b.sizeBound());
    assertThat(merged.exactBytes())
        .isGreaterThanOrEqualTo(a.exactBytes())
        .isGreaterThanOrEqualTo(b.exactBytes());
  }

  @Test
  void theExactChargeStillGrowsWhenAMergeDropsTheExactCounts() {
    List<Double> limit = IntStream.range(0, ValueCounts.LIMIT).mapToObj(i -> i * 1.5).toList();
    Fields exact = field(limit);
    Fields merged = exact.merge(field(List.of(-1.0)));

    assertThat(exact.byName().values().iterator().next().percentilesExact()).isTrue();
    assertThat(merged.byName().values().iterator().next().percentilesExact()).isFalse();
    assertThat(merged.exactBytes()).isGreaterThanOrEqualTo(exact.exactBytes());
    assertThat(exact.sizeBound() + exact.exactBytes()).isGreaterThanOrEqualTo(encoded(exact));
  }

  /**
   * 300 fields of 5,000 distinct values each kept, not TOO_MANY_FIELDS: the exact counts have a
   * budget of their own, and which fields keep theirs depends on the values, not on merge order.
   */
  @Test
  void fieldsOfManyDistinctValuesKeepTheirPlaceAndTheFirstInNameOrderStayExact() {
    int fields = 300;
    int values = 5_000;
    List<Fields> halves = new ArrayList<>();
    for (int half = 0; half < 2; half++) {
      Map<String, FieldStats> byName = new HashMap<>();
      for (int f = 0; f < fields; f++) {
        FieldAccumulator accumulator = new FieldAccumulator();
        // The first half holds 4,000 values of each field: exact until the halves merge.
        for (int i = half * 4_000; i < (half == 0 ? 4_000 : values); i++) {
          accumulator.add(f + i / 8.0);
        }
        byName.put(String.format("f%03d", f), accumulator.snapshot());
      }
      halves.add(Fields.of(byName));
    }
    Fields merged = halves.get(0).merge(halves.get(1));

    assertThat(merged.tooMany()).isNull();
    assertThat(merged.firstLeftOut()).isNull();
    Map<String, FieldStats> stillExact = new HashMap<>(halves.get(0).byName());
    stillExact.values().removeIf(stats -> !stats.percentilesExact());
    assertThat(Fields.of(stillExact).exactBytes())
        .isLessThanOrEqualTo(Fields.MAX_EXACT_BYTES)
        .isGreaterThan(Fields.MAX_EXACT_BYTES - 4_000 * 9);
    assertThat(halves.get(0).byName().get("f000").percentilesExact()).isTrue();
    assertThat(halves.get(0).byName().get("f299").percentilesExact()).isFalse();
    assertThat(merged.byName().values()).noneMatch(FieldStats::percentilesExact);
    assertThat(halves.get(1).merge(halves.get(0))).isEqualTo(merged);

    // Fields of few values after many of many: exact as long as the budget lasts, whatever order.
    FieldAccumulator few = new FieldAccumulator();
    List.of(1.0, 2.0, 2.0).forEach(few::add);
    Fields small = Fields.of(Map.of("a", few.snapshot(), "z", few.snapshot()));
    Fields withSmall = merged.merge(small);
    assertThat(withSmall.byName().get("a").percentilesExact()).isTrue();
    assertThat(withSmall.byName().get("z").percentilesExact()).isFalse();
    assertThat(small.merge(halves.get(1)).merge(halves.get(0))).isEqualTo(withSmall);
  }

  @Test
  void aFieldWrittenBeforeExactCountsReadsAsTheSketchRegime() throws IOException {
    Schema v2 = AvroSerde.previousVersions("FieldStats").get(1);

    FieldStats stats = StatsCodec.fromAvro(readAsCurrent(v2, inArrays(v2, exactOf(1.0, 2.0, 2.0))));

    assertThat(stats.count()).isEqualTo(3);
    assertThat(stats.percentilesExact()).isFalse();
    assertThat(stats.merge(exactOf(3.0)).percentilesExact()).isFalse();
    assertThat(StatsCodec.result("f", stats).getPercentilesExact()).isFalse();
    assertThat(StatsCodec.result("f", exactOf(3.0)).getPercentilesExact()).isTrue();
  }

  /** Buckets and exact counts as arrays, as the stores and topics held them before packing. */
  @Test
  void aFieldWrittenBeforeThePackedFormReadsTheSame() throws IOException {
    for (FieldStats stats :
        List.of(
            exactOf(-3.5, -3.5, -0.0, 0.0, 1.0, 2.0, 2.0, 1e300, -Double.MAX_VALUE),
            exactOf(IntStream.range(-3000, 3000).mapToDouble(i -> i * 0.37).toArray()),
            exactOf())) {
      Schema v3 = AvroSerde.previousVersions("FieldStats").get(2);

      assertThat(StatsCodec.fromAvro(readAsCurrent(v3, inArrays(v3, stats)))).isEqualTo(stats);
    }
  }

  /**
   * {@code stats} as a record of the earlier schema {@code writer}: buckets and counts in arrays.
   */
  private static GenericRecord inArrays(Schema writer, FieldStats stats) {
    io.fetchstats.avro.FieldStats current = StatsCodec.toAvro("f", stats);
    ValueCounts exact = stats.exact();
    Map<String, Object> arrays =
        Map.of(
            "sketchNegativeIndexes", indexes(stats.sketch().negative()),
            "sketchNegativeCounts", counts(stats.sketch().negative()),
            "sketchPositiveIndexes", indexes(stats.sketch().positive()),
            "sketchPositiveCounts", counts(stats.sketch().positive()),
            "exactValues", IntStream.range(0, exact.size()).mapToObj(exact::value).toList(),
            "exactCounts", IntStream.range(0, exact.size()).mapToObj(exact::count).toList());
    GenericRecordBuilder old = new GenericRecordBuilder(writer);
    writer
        .getFields()
        .forEach(f -> old.set(f.name(), arrays.getOrDefault(f.name(), current.get(f.name()))));
    return old.build();
  }

  private static List<Integer> indexes(Sketch.Buckets buckets) {
    return IntStream.range(0, buckets.size()).mapToObj(buckets::index).toList();
  }

  private static List<Long> counts(Sketch.Buckets buckets) {
    return IntStream.range(0, buckets.size()).mapToObj(buckets::count).toList();
  }

  /**
   * {@code record}, written with the earlier schema {@code writer} as a topic or store held it, as
   * the current code reads it.
   */
  private static io.fetchstats.avro.FieldStats readAsCurrent(Schema writer, GenericRecord record)
      throws IOException {
    ByteBuffer encoded =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return AvroSerde.of(io.fetchstats.avro.FieldStats.class).decode(bytes);
  }

  private static FieldStats exactOf(double... values) {
    FieldAccumulator accumulator = new FieldAccumulator();
    for (double x : values) {
      accumulator.add(x);
    }
    return accumulator.snapshot();
  }

  @Provide
  Arbitrary<List<Double>> values() {
    Arbitrary<Double> extreme =
        Arbitraries.of(
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.MIN_VALUE,
            -Double.MIN_VALUE,
            Double.MIN_NORMAL,
            0x1p1023,
            1.0,
            -0.0);
    Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble);
    return Arbitraries.frequencyOf(
            Tuple.of(1, extreme), Tuple.of(3, anyBits), Tuple.of(3, Arbitraries.doubles()))
        .list()
        .ofMaxSize(3_000);
  }

  private static Fields field(List<Double> values) {
    FieldAccumulator accumulator = new FieldAccumulator();
    values.forEach(accumulator::add);
    return Fields.of(Map.of("a field name é", accumulator.snapshot()));
  }

  private static long encoded(Fields fields) {
    io.fetchstats.avro.FieldStats stats = StatsCodec.toAvro(fields).get(0);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<>(io.fetchstats.avro.FieldStats.class).write(stats, encoder);
      encoder.flush();
      return out.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Chunk wideCsv(int columns) {
    String header =
        IntStream.range(0, columns).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
    String row =
        IntStream.range(0, columns).mapToObj(i -> i + ".25").collect(Collectors.joining(","));
    String body = header + "\n" + row + "\n" + row + "\n";
    return new Chunk(
        "job",
        "http://h/wide.csv",
        "0:0:0",
        0,
        "CSV",
        header,
        ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)),
        null);
  }
}
