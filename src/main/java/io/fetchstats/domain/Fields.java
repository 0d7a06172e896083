package io.fetchstats.domain;

import io.fetchstats.stats.FieldStats;
import io.fetchstats.stats.Sketch;
import io.fetchstats.stats.ValueCounts;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exact statistics of named fields, in name order; immutable. {@link #merge} merges the fields of
 * one name: associative, commutative, with {@link #EMPTY} as identity, as {@link FieldStats#merge}.
 *
 * <p>Every record holding the statistics of a URL or a job must fit {@code
 * KafkaClients.MAX_RECORD_BYTES}, so their number and size are bounded here: a URL over the bounds
 * fails ({@link #tooMany}), a job leaves out the fields last in name order ({@link #firstLeftOut}).
 *
 * @param byName each field's statistics by its name
 */
public record Fields(SortedMap<String, FieldStats> byName) {
  public static final Fields EMPTY = new Fields(Collections.emptySortedMap());

  /**
   * The most fields a URL or a job has statistics of: beyond it a URL fails as TOO_MANY_FIELDS, and
   * a job leaves out the fields last in name order.
   */
  public static final int MAX_FIELDS = 2_000;

  /**
   * The most bytes the exact statistics of a URL or a job may take (by {@link #sizeBound}), so that
   * every record holding them, with their exact counts ({@link #MAX_EXACT_BYTES}) and its failures,
   * fits {@code KafkaClients.MAX_RECORD_BYTES}.
   */
  public static final long MAX_STATS_BYTES = 4L << 20;

  /**
   * Bytes of a field in Avro beside its name and sketch, at most: four counts, the two exact sums
   * at their widest (a sum of up to 2^63 values spans 2^-1074 to 2^1087: 272 bytes with the sign; a
   * sum of squares 2^-2148 to 2^2111: 534 bytes) with their exponents, min, max, the zero count,
   * six array headers and the exact flag.
   */
  private static final int FIELD_FIXED_BYTES =
      4 * 10 + (5 + 272) + 5 + (5 + 534) + 5 + 16 + 10 + 6 * 6 + 1;

  /**
   * The most bytes the exact counts of a URL's or a job's fields may take in a record, beside
   * {@link #MAX_STATS_BYTES}: some 30 fields of many distinct values, far more of few.
   */
  public static final long MAX_EXACT_BYTES = 2L << 20;

  public Fields {
    // A copy in natural name order, whatever map was given; linear for a map sorted so already.
    TreeMap<String, FieldStats> copy = new TreeMap<>();
    copy.putAll(byName);
    copy.values().forEach(stats -> Objects.requireNonNull(stats, "field statistics"));
    keepExactCountsWithinBudget(copy);
    byName = Collections.unmodifiableSortedMap(copy);
  }

  /**
   * Drops the exact counts of every field from the first, in name order, whose {@link #exactBytes}
   * take the running total past {@link #MAX_EXACT_BYTES}. A field's charge only grows as statistics
   * merge (a field without counts is charged the most it could have held), and new fields only add
   * to it, so a field past the budget would be past it after any later merge too: which fields stay
   * exact depends only on the union of the values, not on the order of merges.
   */
  private static void keepExactCountsWithinBudget(TreeMap<String, FieldStats> fields) {
    long bytes = 0;
    for (Map.Entry<String, FieldStats> field : fields.entrySet()) {
      bytes += exactBytes(field.getValue());
      if (bytes > MAX_EXACT_BYTES) {
        field.setValue(field.getValue().withoutExactCounts());
      }
    }
  }

  /** The fields of {@code byName}, in name order. */
  public static Fields of(Map<String, FieldStats> byName) {
    return new Fields(new TreeMap<>(byName));
  }

  /**
   * The fields of both, those of one name merged. Copies the larger side once and merges the other
   * into it, so a merge costs in proportion to the fields, not to how many merges made them.
   */
  public Fields merge(Fields other) {
    if (other.byName.isEmpty()) {
      return this;
    }
    if (byName.isEmpty()) {
      return other;
    }
    Fields larger = byName.size() >= other.byName.size() ? this : other;
    Fields smaller = larger == this ? other : this;
    TreeMap<String, FieldStats> merged = new TreeMap<>(larger.byName);
    smaller.byName.forEach((name, stats) -> merged.merge(name, stats, FieldStats::merge));
    return new Fields(merged);
  }

  /** The fields whose names sort before {@code name} (all of them if it is null). */
  public Fields before(String name) {
    if (name == null || byName.isEmpty() || byName.lastKey().compareTo(name) < 0) {
      return this;
    }
    return new Fields(byName.headMap(name));
  }

  public int size() {
    return byName.size();
  }

  /** Finite numbers counted over all fields. */
  public long numbers() {
    return byName.values().stream().mapToLong(FieldStats::count).sum();
  }

  /** Cells that were not finite numbers (not numbers, NaN or infinities), over all fields. */
  public long nonNumericCells() {
    return byName.values().stream().mapToLong(f -> f.nonNumeric() + f.nonFinite()).sum();
  }

  /** Empty cells, over all fields. */
  public long missingCells() {
    return byName.values().stream().mapToLong(FieldStats::missing).sum();
  }

  /**
   * At least as many bytes as these fields take in Avro beside their exact counts (which {@link
   * #MAX_EXACT_BYTES} bounds apart, so that they never cost a field its place). It only grows as
   * statistics merge (more fields, more buckets, larger counts; the sums are taken at their
   * widest), so whether a merge of many goes over a limit does not depend on their order.
   */
  public long sizeBound() {
    long bytes = 0;
    for (Map.Entry<String, FieldStats> field : byName.entrySet()) {
      bytes += sizeBound(field.getKey(), field.getValue());
    }
    return bytes;
  }

  /**
   * What the fields' exact counts are charged against {@link #MAX_EXACT_BYTES}: at least the bytes
   * they take in Avro, and only growing as statistics merge.
   */
  public long exactBytes() {
    return byName.values().stream().mapToLong(Fields::exactBytes).sum();
  }

  private static long sizeBound(String name, FieldStats stats) {
    return 5
        + 3L * name.length()
        + FIELD_FIXED_BYTES
        + bucketBytes(stats.sketch().negative())
        + bucketBytes(stats.sketch().positive());
  }

  /**
   * The exact counts: 8 bytes a value and a varint count each, at most {@link ValueCounts#LIMIT} of
   * them (a field takes at most 4096 · (8 + 10) bytes = 72 KiB more in Avro, 64 KiB in memory). So
   * that the charge only grows when the counts are dropped (past the limit or the budget), a field
   * without them is charged as many as it could have had: min(LIMIT, count) values whose counts are
   * at most its count.
   */
  private static long exactBytes(FieldStats stats) {
    // No count of a value exceeds the field's: one multiplication, not a walk over the values,
    // since every merge of a job's fields charges them all.
    ValueCounts exact = stats.exact();
    long values = exact.exact() ? exact.size() : Math.min(ValueCounts.LIMIT, stats.count());
    return values * (8L + varintBytes(stats.count()));
  }

  private static int varintBytes(long count) {
    return (64 - Long.numberOfLeadingZeros(count << 1 | 1) + 6) / 7;
  }

  /** A bucket's index (|index| < 2^20: 3 bytes) and its count as a varint. */
  private static long bucketBytes(Sketch.Buckets buckets) {
    long bytes = 0;
    for (int i = 0; i < buckets.size(); i++) {
      bytes += 3 + varintBytes(buckets.count(i));
    }
    return bytes;
  }

  /**
   * Why statistics of these fields cannot be kept for one URL (too many, or too large for a
   * record), or null if they can.
   */
  public String tooMany() {
    if (byName.size() > MAX_FIELDS) {
      return "statistics of more than " + MAX_FIELDS + " distinct fields";
    }
    long bytes = sizeBound();
    return bytes > MAX_STATS_BYTES
        ? "statistics of "
            + byName.size()
            + " fields taking "
            + bytes
            + " bytes, over "
            + MAX_STATS_BYTES
            + " (values spread over too many sketch buckets)"
        : null;
  }

  /**
   * The first field in name order that does not fit {@link #MAX_FIELDS} and {@link
   * #MAX_STATS_BYTES} after those before it, or null if all fit. Merges only grow statistics, so a
   * field left out would be left out of any later merge too: what is kept does not depend on the
   * order of merges.
   */
  public String firstLeftOut() {
    long bytes = 0;
    int i = 0;
    for (Map.Entry<String, FieldStats> field : byName.entrySet()) {
      bytes += sizeBound(field.getKey(), field.getValue());
      if (i == MAX_FIELDS || bytes > MAX_STATS_BYTES) {
        return field.getKey();
      }
      i++;
    }
    return null;
  }
}
