package io.fetchstats.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.fetchstats.cli.Main"));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
