package io.fetchstats.it;

import io.fetchstats.bench.Jvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The fetchstats command in a JVM of its own, for tests that kill it or bound its heap. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Starts {@code fetchstats arguments...} on the test's class path with {@code jvmOptions}, its
   * output (both streams) written to {@code log}.
   */
  public static Process fetchstats(Path log, List<String> jvmOptions, String... arguments)
      throws IOException {
    return Jvm.fetchstats(log, jvmOptions, List.of(arguments));
  }
}
