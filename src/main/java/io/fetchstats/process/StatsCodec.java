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
        indexes(stats.sketch().negative()),
        counts(stats.sketch().negative()),
        indexes(stats.sketch().positive()),
        counts(stats.sketch().positive()),
        stats.exact().exact(),
        exactValues(stats.exact()),
        exactCounts(stats.exact()));
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

  private static List<Double> exactValues(ValueCounts exact) {
    List<Double> values = new ArrayList<>(exact.size());
    for (int i = 0; i < exact.size(); i++) {
      values.add(exact.value(i));
    }
    return values;
  }

  private static List<Long> exactCounts(ValueCounts exact) {
    List<Long> counts = new ArrayList<>(exact.size());
    for (int i = 0; i < exact.size(); i++) {
      counts.add(exact.count(i));
    }
    return counts;
  }

  /**
   * A record without exact counts (over the limit, or written before them: unknown) is the
   * sketch's, unless it holds no values at all.
   */
  private static ValueCounts exact(io.fetchstats.avro.FieldStats avro) {
    return avro.getExact() || avro.getCount() == 0
        ? ValueCounts.of(
            avro.getExactValues().stream().mapToDouble(Double::doubleValue).toArray(),
            avro.getExactCounts().stream().mapToLong(Long::longValue).toArray())
        : ValueCounts.OVER;
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
            buckets(avro.getSketchPositiveIndexes(), avro.getSketchPositiveCounts())),
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
