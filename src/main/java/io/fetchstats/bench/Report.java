package io.fetchstats.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/** How the benchmarks write their markdown: sections, medians with ranges, the machine. */
final class Report {
  private Report() {}

  /**
   * The machine and JVM the numbers come from.
   *
   * @param sharing what shares the cores, as in "2 cores, shared by {@code sharing}"
   */
  static String environment(String sharing, int runs) {
    List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return format(
        "- %d cores, shared by %s; system load average %.2f at the start; %s %s; max heap %s%n"
            + "- JVM options: %s%n"
            + "- %d measured runs of each variant after one warm-up; medians, range in brackets%n",
        Runtime.getRuntime().availableProcessors(),
        sharing,
        loadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        mebibytes(Runtime.getRuntime().maxMemory()),
        options.isEmpty() ? "none" : String.join(" ", options),
        runs);
  }

  /** The system load average of the last minute (negative where the system has none). */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** A heading, a paragraph, the table and notes (if any). */
  static String section(String title, String description, MarkdownTable table, String notes) {
    return format("### %s%n%n%s%n%n%s", title, description, table.render())
        + (notes.isEmpty() ? "" : format("%n%s", notes))
        + format("%n");
  }

  /** The median, and the range in brackets, each in {@code pattern}. */
  static String range(Measured measured, String pattern) {
    return format(
        pattern + " (" + pattern + "-" + pattern + ")",
        measured.median(),
        measured.min(),
        measured.max());
  }

  static String mebibytes(long bytes) {
    return format("%,d MiB", bytes >> 20);
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
