package io.fetchstats.process;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.domain.Fields;
import io.fetchstats.stats.FieldStats;
import io.fetchstats.stats.Histogram;
import io.fetchstats.stats.Sketch;
import io.fetchstats.stats.ValueCounts;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Converts exact statistics to their Avro forms and back, and rounds them for publication. */
final class StatsCodec {
  private StatsCodec() {}

  /** Scales of {@link FieldStats#scaledSum()} and {@link FieldStats#scaledSumOfSquares()}. */
  private static final int SUM_SCALE = 1074;

  private static final int SQUARES_SCALE = 2148;

  /** The percentiles every result has: p25, p50, p75, p95, p99. */
  private static final double[] PERCENTILES = {0.25, 0.50, 0.75, 0.95, 0.99};

  static io.fetchstats.avro.FieldStats toAvro(String name, FieldStats stats) {
    // Stripping the trailing zero bits keeps a sum of ordinary numbers to a few bytes instead of
    // the ~135 and ~270 that the fixed scales would take.
    int sumShift = trailingZeros(stats.scaledSum());
    int squaresShift = trailingZeros(stats.scaledSumOfSquares());
    return new io.fetchstats.avro.FieldStats(
        name,
        stats.count(),
        stats.missing(),
        stats.nonNumeric(),
        stats.nonFinite(),
        ByteBuffer.wrap(stats.scaledSum().shiftRight(sumShift).toByteArray()),
        sumShift - SUM_SCALE,
        ByteBuffer.wrap(stats.scaledSumOfSquares().shiftRight(squaresShift).toByteArray()),
        squaresShift - SQUARES_SCALE,
        stats.min(),
        stats.max(),
        stats.sketch().zeroCount(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        stats.exact().exact(),
        List.of(),
        List.of(),
        packed(stats.sketch().negative()),
        packed(stats.sketch().positive()),
        packed(stats.exact()));
  }

  /*
   * Buckets and exact counts travel packed in bytes rather than as Avro arrays of boxed numbers:
   * they are most of a record of the url-events topic and the stores, which bench pipeline's stream
   * threads wrote and read a few times a chunk. The layout is in schemas/FieldStats.avsc.
   */

  private static ByteBuffer packed(Sketch.Buckets buckets) {
    Packer packer = new Packer(buckets.size() * 4);
    for (int i = 0; i < buckets.size(); i++) {
      long index = buckets.index(i);
      packer.varint(i == 0 ? (index << 1) ^ (index >> 63) : index - buckets.index(i - 1));
      packer.varint(buckets.count(i));
    }
    return packer.bytes();
  }

  private static ByteBuffer packed(ValueCounts exact) {
    Packer packer = new Packer(exact.size() * 10);
    for (int i = 0; i < exact.size(); i++) {
      packer.fixed(Double.doubleToRawLongBits(exact.value(i)));
      packer.varint(exact.count(i));
    }
    return packer.bytes();
  }

  private static Sketch.Buckets buckets(
      ByteBuffer packed, List<Integer> indexes, List<Long> counts) {
    if (!packed.hasRemaining()) {
      // Written before the packed form (or no buckets).
      return Sketch.Buckets.of(
          indexes.stream().mapToInt(Integer::intValue).toArray(),
          counts.stream().mapToLong(Long::longValue).toArray());
    }
    ByteBuffer in = packed.duplicate();
    int[] unpackedIndexes = new int[in.remaining() / 2];
    long[] unpackedCounts = new long[unpackedIndexes.length];
    int n = 0;
    long index = 0;
    while (in.hasRemaining()) {
      long step = varint(in);
      index = n == 0 ? (step >>> 1) ^ -(step & 1) : index + step;
      unpackedIndexes[n] = Math.toIntExact(index);
      unpackedCounts[n++] = varint(in);
    }
    return Sketch.Buckets.of(Arrays.copyOf(unpackedIndexes, n), Arrays.copyOf(unpackedCounts, n));
  }

  /** Grows a byte array as varints and fixed longs are written to it. */
  private static final class Packer {
    private byte[] bytes;
    private int size;

    Packer(int capacity) {
      bytes = new byte[Math.max(16, capacity)];
    }

    /** An unsigned LEB128 varint, as Avro writes its lengths (but not zig-zag encoded). */
    void varint(long value) {
      ensure(10);
      while ((value & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      bytes[size++] = (byte) value;
    }

    void fixed(long value) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes[size++] = (byte) (value >>> shift);
      }
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
      }
    }

    ByteBuffer bytes() {
      return ByteBuffer.wrap(bytes, 0, size);
    }
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("a packed varint of more than 10 bytes");
  }

  /**
   * A record without exact counts (over the limit, or written before them: unknown) is the
   * sketch's, unless it holds no values at all.
   */
  private static ValueCounts exact(io.fetchstats.avro.FieldStats avro) {
    if (!avro.getExact() && avro.getCount() != 0) {
      return ValueCounts.OVER;
    }
    ByteBuffer packed = avro.getExactValueCounts();
    if (!packed.hasRemaining()) {
      // Written before the packed form (or no values).
      return ValueCounts.of(
          avro.getExactValues().stream().mapToDouble(Double::doubleValue).toArray(),
          avro.getExactCounts().stream().mapToLong(Long::longValue).toArray());
    }
    ByteBuffer in = packed.duplicate();
    double[] values = new double[in.remaining() / 9];
    long[] counts = new long[values.length];
    int n = 0;
    while (in.hasRemaining()) {
      values[n] = Double.longBitsToDouble(in.getLong());
      counts[n++] = varint(in);
    }
    return ValueCounts.of(Arrays.copyOf(values, n), Arrays.copyOf(counts, n));
  }

  static FieldStats fromAvro(io.fetchstats.avro.FieldStats avro) {
    return new FieldStats(
        avro.getCount(),
        avro.getMissing(),
        avro.getNonNumeric(),
        avro.getNonFinite(),
        bigInteger(avro.getSumMantissa()).shiftLeft(avro.getSumExponent() + SUM_SCALE),
        bigInteger(avro.getSumOfSquaresMantissa())
            .shiftLeft(avro.getSumOfSquaresExponent() + SQUARES_SCALE),
        avro.getMin(),
        avro.getMax(),
        new Sketch(
            avro.getSketchZeroCount(),
            buckets(
                avro.getSketchNegative(),
                avro.getSketchNegativeIndexes(),
                avro.getSketchNegativeCounts()),
            buckets(
                avro.getSketchPositive(),
                avro.getSketchPositiveIndexes(),
                avro.getSketchPositiveCounts())),
        exact(avro));
  }

  private static int trailingZeros(BigInteger value) {
    return value.signum() == 0 ? 0 : value.getLowestSetBit();
  }

  /** The Avro form of {@code fields}, in name order. */
  static List<io.fetchstats.avro.FieldStats> toAvro(Fields fields) {
    List<io.fetchstats.avro.FieldStats> avro = new ArrayList<>(fields.size());
    fields.byName().forEach((name, stats) -> avro.add(toAvro(name, stats)));
    return avro;
  }

  /** The fields of an Avro list, those of one name merged (a list may hold a name twice). */
  static Fields fromAvro(List<io.fetchstats.avro.FieldStats> avro) {
    TreeMap<String, FieldStats> byName = new TreeMap<>();
    for (io.fetchstats.avro.FieldStats field : avro) {
      byName.merge(field.getName(), fromAvro(field), FieldStats::merge);
    }
    return new Fields(byName);
  }

  /** Rounds the exact statistics of each field once, for publication. */
  static List<FieldResult> results(Fields fields) {
    List<FieldResult> results = new ArrayList<>(fields.size());
    fields.byName().forEach((name, stats) -> results.add(result(name, stats)));
    return results;
  }

  /** Rounds the exact statistics of one field once, for publication. */
  static FieldResult result(String name, FieldStats stats) {
    double[] percentiles = stats.quantiles(PERCENTILES);
    return FieldResult.newBuilder()
        .setName(name)
        .setCount(stats.count())
        .setMissing(stats.missing())
        .setNonNumeric(stats.nonNumeric())
        .setNonFinite(stats.nonFinite())
        .setSum(stats.sum())
        .setMean(boxed(stats.mean()))
        .setMin(boxed(stats.minimum()))
        .setMax(boxed(stats.maximum()))
        .setVariancePopulation(boxed(stats.populationVariance()))
        .setVarianceSample(boxed(stats.sampleVariance()))
        .setStddevPopulation(boxed(stats.populationStddev()))
        .setStddevSample(boxed(stats.sampleStddev()))
        .setP25(percentiles.length == 0 ? null : percentiles[0])
        .setP50(percentiles.length == 0 ? null : percentiles[1])
        .setP75(percentiles.length == 0 ? null : percentiles[2])
        .setP95(percentiles.length == 0 ? null : percentiles[3])
        .setP99(percentiles.length == 0 ? null : percentiles[4])
        .setPercentileRelativeAccuracy(percentiles.length == 0 ? null : Sketch.RELATIVE_ACCURACY)
        .setPercentilesExact(percentiles.length == 0 ? null : stats.percentilesExact())
        .setHistogram(stats.histogram().map(StatsCodec::toAvro).orElse(null))
        .build();
  }

  private static io.fetchstats.avro.Histogram toAvro(Histogram histogram) {
    return new io.fetchstats.avro.Histogram(histogram.min(), histogram.max(), histogram.counts());
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  private static BigInteger bigInteger(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    return copy.length == 0 ? BigInteger.ZERO : new BigInteger(copy);
  }
}
