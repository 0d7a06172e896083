package io.fetchstats.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The heap a run used at most: the heap pools' peaks added up, counted from a full collection
 * before the run, so from what lives then. The peaks follow what the collector lets young garbage
 * take between collections, not only what the run holds.
 */
final class HeapPeak {
  private static final List<MemoryPoolMXBean> HEAP =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .toList();

  private final List<Double> mebibytes = new ArrayList<>();

  /** Collects the garbage and forgets the peaks so far. */
  static void reset() {
    System.gc();
    HEAP.forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The heap pools' peaks since the last {@link #reset}, added up. */
  static long peakBytes() {
    return HEAP.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }

  /** {@code run}, each call's peak heap kept in this tally. */
  DoubleSupplier around(DoubleSupplier run) {
    return () -> {
      reset();
      double value = run.getAsDouble();
      mebibytes.add(peakBytes() / (double) (1 << 20));
      return value;
    };
  }

  /** Forgets the runs counted so far (the warm-up). */
  void clear() {
    mebibytes.clear();
  }

  /** The peaks of the runs counted, in MiB. */
  Measured measured() {
    return Measured.of(mebibytes);
  }
}
