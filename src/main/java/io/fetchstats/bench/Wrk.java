package io.fetchstats.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The wrk HTTP load generator, if installed: what the server can serve to a client that does
 * nothing with the responses, the reference the fetcher's rates are compared to.
 */
final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMGT]?B)");
  private static final Pattern ERRORS =
      Pattern.compile("(Socket errors:[^\\n]*|Non-2xx or 3xx responses:[^\\n]*)");

  /** Requests and bytes (headers included) a second, and the errors wrk reported, if any. */
  record Result(double requestsPerSecond, double bytesPerSecond, Optional<String> errors) {}

  private final Path executable;

  private Wrk(Path executable) {
    this.executable = executable;
  }

  /** wrk as found on the PATH. */
  static Optional<Wrk> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "wrk"))
        .filter(Files::isExecutable)
        .findFirst()
        .map(Wrk::new);
  }

  Result run(int threads, int connections, Duration duration, String url) {
    String seconds = Math.max(1, duration.toSeconds()) + "s";
    Process process;
    try {
      process =
          new ProcessBuilder(
                  executable.toString(), "-t" + threads, "-c" + connections, "-d" + seconds, url)
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException("wrk exited with " + exit + ": " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wrk's output", e);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while wrk ran", e);
    }
    return parse(output);
  }

  static Result parse(String output) {
    Matcher requests = REQUESTS.matcher(output);
    Matcher transfer = TRANSFER.matcher(output);
    if (!requests.find() || !transfer.find()) {
      throw new IllegalStateException("unexpected wrk output: " + output.strip());
    }
    // wrk's units are binary: 1MB is 2^20 bytes.
    int power = "BKMGT".indexOf(transfer.group(2).charAt(0));
    double bytes = Double.parseDouble(transfer.group(1)) * Math.pow(1024, power);
    Matcher errors = ERRORS.matcher(output);
    StringBuilder found = new StringBuilder();
    while (errors.find()) {
      found.append(found.length() == 0 ? "" : "; ").append(errors.group(1).strip());
    }
    return new Result(
        Double.parseDouble(requests.group(1)),
        bytes,
        found.length() == 0 ? Optional.empty() : Optional.of(found.toString()));
  }
}
