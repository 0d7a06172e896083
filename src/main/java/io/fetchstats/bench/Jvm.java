package io.fetchstats.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fetchstats command in a JVM of its own: to kill it, bound its heap, or run many. */
public final class Jvm {
  private Jvm() {}

  /**
   * Starts {@code fetchstats arguments...} on this JVM's class path with {@code jvmOptions}, its
   * output (both streams) written to {@code log}. Its configuration is its arguments alone: the
   * FETCHSTATS_ variables of this process's environment are not passed on.
   */
  public static Process fetchstats(Path log, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.fetchstats.cli.Main"));
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("FETCHSTATS_"));
    return builder.start();
  }
}
