package io.fetchstats.process;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.stats.FieldStats;
import io.fetchstats.stats.Histogram;
import io.fetchstats.stats.Sketch;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Converts between exact statistics and their Avro forms, and merges field lists by name. */
final class StatsCodec {
  private StatsCodec() {}

  /** Scales of {@link FieldStats#scaledSum()} and {@link FieldStats#scaledSumOfSquares()}. */
  private static final int SUM_SCALE = 1074;

  private static final int SQUARES_SCALE = 2148;

  /**
   * The most fields a URL or a job has statistics of: beyond it a URL fails as TOO_MANY_FIELDS, and
   * a job leaves out the fields last in name order (see {@link #fitting}).
   */
  static final int MAX_FIELDS = 2_000;

  /**
   * The most bytes the exact statistics of a URL or a job may take (by {@link #sizeBound}), so that
   * every record holding them, with its failures, fits {@code KafkaClients.MAX_RECORD_BYTES}.
   */
  static final long MAX_STATS_BYTES = 4L << 20;

  /**
   * Bytes of a field in Avro beside its name and sketch, at most: four counts, the two exact sums
   * at their widest (a sum of up to 2^63 values spans 2^-1074 to 2^1087: 272 bytes with the sign; a
   * sum of squares 2^-2148 to 2^2111: 534 bytes) with their exponents, min, max, the zero count,
   * four array headers.
   */
  private static final int FIELD_FIXED_BYTES =
      4 * 10 + (5 + 272) + 5 + (5 + 534) + 5 + 16 + 10 + 4 * 6;

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
        indexes(stats.sketch().negative()),
        counts(stats.sketch().negative()),
        indexes(stats.sketch().positive()),
        counts(stats.sketch().positive()));
  }

  private static List<Integer> indexes(Sketch.Buckets buckets) {
    List<Integer> indexes = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      indexes.add(buckets.index(i));
    }
    return indexes;
  }

  private static List<Long> counts(Sketch.Buckets buckets) {
    List<Long> counts = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      counts.add(buckets.count(i));
    }
    return counts;
  }

  private static Sketch.Buckets buckets(List<Integer> indexes, List<Long> counts) {
    return Sketch.Buckets.of(
        indexes.stream().mapToInt(Integer::intValue).toArray(),
        counts.stream().mapToLong(Long::longValue).toArray());
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
            buckets(avro.getSketchNegativeIndexes(), avro.getSketchNegativeCounts()),
            buckets(avro.getSketchPositiveIndexes(), avro.getSketchPositiveCounts())));
  }

  private static int trailingZeros(BigInteger value) {
    return value.signum() == 0 ? 0 : value.getLowestSetBit();
  }

  /** Merges two field lists by name; the result is in name order whatever the inputs' order. */
  static List<io.fetchstats.avro.FieldStats> merge(
      List<io.fetchstats.avro.FieldStats> left, List<io.fetchstats.avro.FieldStats> right) {
    TreeMap<String, FieldStats> byName = new TreeMap<>();
    for (List<io.fetchstats.avro.FieldStats> side : List.of(left, right)) {
      for (io.fetchstats.avro.FieldStats field : side) {
        byName.merge(field.getName(), fromAvro(field), FieldStats::merge);
      }
    }
    List<io.fetchstats.avro.FieldStats> merged = new ArrayList<>(byName.size());
    byName.forEach((name, stats) -> merged.add(toAvro(name, stats)));
    return merged;
  }

  /** Rounds the exact statistics of each field once, for publication. */
  static List<FieldResult> results(List<io.fetchstats.avro.FieldStats> fields) {
    List<FieldResult> results = new ArrayList<>(fields.size());
    for (io.fetchstats.avro.FieldStats field : fields) {
      results.add(result(field.getName(), fromAvro(field)));
    }
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
        .setHistogram(stats.histogram().map(StatsCodec::toAvro).orElse(null))
        .build();
  }

  private static io.fetchstats.avro.Histogram toAvro(Histogram histogram) {
    return new io.fetchstats.avro.Histogram(histogram.min(), histogram.max(), histogram.counts());
  }

  /**
   * At least as many bytes as {@code fields} take in Avro. It only grows as statistics merge (more
   * fields, more buckets, larger counts; the sums are taken at their widest), so whether a merge of
   * many goes over a limit does not depend on their order.
   */
  static long sizeBound(List<io.fetchstats.avro.FieldStats> fields) {
    long bytes = 0;
    for (io.fetchstats.avro.FieldStats field : fields) {
      bytes += 5 + 3L * field.getName().length() + FIELD_FIXED_BYTES;
      bytes +=
          bucketBytes(field.getSketchNegativeCounts())
              + bucketBytes(field.getSketchPositiveCounts());
    }
    return bytes;
  }

  /** A bucket's index (|index| < 2^20: 3 bytes) and its count as a varint. */
  private static long bucketBytes(List<Long> counts) {
    long bytes = 0;
    for (long count : counts) {
      bytes += 3 + (64 - Long.numberOfLeadingZeros(count << 1 | 1) + 6) / 7;
    }
    return bytes;
  }

  /**
   * Why statistics of these fields cannot be kept for one URL (too many, or too large for a
   * record), or null if they can.
   */
  static String tooMany(List<io.fetchstats.avro.FieldStats> fields) {
    if (fields.size() > MAX_FIELDS) {
      return "statistics of more than " + MAX_FIELDS + " distinct fields";
    }
    long bytes = sizeBound(fields);
    return bytes > MAX_STATS_BYTES
        ? "statistics of "
            + fields.size()
            + " fields taking "
            + bytes
            + " bytes, over "
            + MAX_STATS_BYTES
            + " (values spread over too many sketch buckets)"
        : null;
  }

  /**
   * The first fields in name order ({@code fields} are) that fit {@link #MAX_FIELDS} and {@link
   * #MAX_STATS_BYTES}. Merges only grow statistics, so a field left out would be left out of any
   * later merge too: what is kept does not depend on the order of merges.
   */
  static List<io.fetchstats.avro.FieldStats> fitting(List<io.fetchstats.avro.FieldStats> fields) {
    long bytes = 0;
    for (int i = 0; i < fields.size(); i++) {
      bytes += sizeBound(List.of(fields.get(i)));
      if (i == MAX_FIELDS || bytes > MAX_STATS_BYTES) {
        return fields.subList(0, i);
      }
    }
    return fields;
  }

  /** Numbers counted over all fields. */
  static long numbers(List<io.fetchstats.avro.FieldStats> fields) {
    return fields.stream().mapToLong(io.fetchstats.avro.FieldStats::getCount).sum();
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
