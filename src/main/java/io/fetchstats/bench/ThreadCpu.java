package io.fetchstats.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Where a variant's time goes: the CPU time of this JVM's threads over its runs, grouped by what
 * the threads do (by their names), beside the process's CPU time and the wall time. A thread that
 * ends within a run is not counted: what no thread accounts for ("unattributed") is the JVM's own
 * work (GC, JIT) and the threads that ended within the run (ProducerPerformance's producer).
 */
final class ThreadCpu {
  /** What a thread does, told by its name. */
  enum Group {
    STREAMS("stream threads"),
    INGEST("ingest"),
    SERVER("sample server"),
    CLIENT_IO("client I/O"),
    MAIN("main"),
    BROKER("broker and other");

    final String label;

    Group(String label) {
      this.label = label;
    }

    static Group of(String threadName) {
      if (threadName.contains("StreamThread")) {
        return STREAMS;
      } else if (threadName.startsWith("fetchstats-samples")) {
        return SERVER;
      } else if (threadName.startsWith("fetchstats-")) {
        return INGEST;
      } else if (threadName.startsWith("kafka-producer-network-thread")
          || threadName.startsWith("consumer_background_thread")) {
        return CLIENT_IO;
      } else if (threadName.equals("main")) {
        return MAIN;
      }
      return BROKER;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long[] groupNanos = new long[Group.values().length];
  private long processNanos;
  private long wallNanos;
  private int runs;

  /** {@code run}, its CPU time and wall time added to this tally at each call. */
  DoubleSupplier around(DoubleSupplier run) {
    return () -> {
      Map<Long, Long> before = threadNanos();
      long process = processCpuNanos();
      long start = System.nanoTime();
      double value = run.getAsDouble();
      wallNanos += System.nanoTime() - start;
      processNanos += processCpuNanos() - process;
      Map<Long, Long> after = threadNanos();
      long[] ids = after.keySet().stream().mapToLong(Long::longValue).toArray();
      ThreadInfo[] infos = THREADS.getThreadInfo(ids);
      for (int i = 0; i < ids.length; i++) {
        if (infos[i] != null) {
          groupNanos[Group.of(infos[i].getThreadName()).ordinal()] +=
              after.get(ids[i]) - before.getOrDefault(ids[i], 0L);
        }
      }
      runs++;
      return value;
    };
  }

  /** Forgets what was counted (the warm-up). */
  void reset() {
    Arrays.fill(groupNanos, 0);
    processNanos = 0;
    wallNanos = 0;
    runs = 0;
  }

  /** The header of {@link #row}'s table, after the variant's own first column. */
  static List<String> header(String first) {
    List<String> header = new ArrayList<>(List.of(first, "wall s"));
    Arrays.stream(Group.values()).forEach(group -> header.add(group.label));
    header.addAll(List.of("unattributed", "process CPU s", "of cores"));
    return header;
  }

  /** CPU seconds a run (averaged over the runs counted) of each group, the JVM and the process. */
  String[] row(String name) {
    double perRun = 1e9 * Math.max(1, runs);
    List<String> cells = new ArrayList<>(List.of(name, seconds(wallNanos / perRun)));
    long threads = 0;
    for (long nanos : groupNanos) {
      cells.add(seconds(nanos / perRun));
      threads += nanos;
    }
    cells.add(seconds(Math.max(0, processNanos - threads) / perRun));
    cells.add(seconds(processNanos / perRun));
    int cores = Runtime.getRuntime().availableProcessors();
    cells.add(Report.format("%.0f%%", 100.0 * processNanos / Math.max(1, wallNanos) / cores));
    return cells.toArray(String[]::new);
  }

  private static String seconds(double value) {
    return Report.format("%.2f", value);
  }

  private static Map<Long, Long> threadNanos() {
    Map<Long, Long> nanos = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        nanos.put(id, cpu);
      }
    }
    return nanos;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
