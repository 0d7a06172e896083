package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user installs it: target/fetchstats-VERSION.tar.gz unpacked elsewhere,
 * bin/fetchstats run from another directory and through a link, what it carries and leaves out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DistributionIT {
  private Path dir;
  private Path home;

  @BeforeAll
  void unpack(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Path tarball;
    try (Stream<Path> built = Files.list(Path.of("target"))) {
      tarball =
          built
              .filter(path -> path.getFileName().toString().matches("fetchstats-.+\\.tar\\.gz"))
              .findFirst()
              .orElse(null);
    }
    assumeTrue(tarball != null, "no target/fetchstats-*.tar.gz: './mvnw package' builds it");
    assertThat(run(dir, "tar", "xzf", tarball.toAbsolutePath().toString()).exitCode).isZero();
    String name = tarball.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
    home = dir.resolve(name);
  }

  @Test
  void binFetchstatsRunsFromAnyDirectoryAndThroughALink() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Result version = run(elsewhere, home.resolve("bin/fetchstats").toString(), "--version");
    assertThat(version.exitCode).as(version.output).isZero();
    assertThat(version.output)
        .startsWith("fetchstats " + home.getFileName().toString().substring(11));

    Path link =
        Files.createSymbolicLink(dir.resolve("linked-fetchstats"), home.resolve("bin/fetchstats"));
    Result config = run(elsewhere, link.toString(), "config");
    assertThat(config.exitCode).as(config.output).isZero();
    assertThat(config.output).contains("fetch-threads");

    Result usage = run(elsewhere, link.toString(), "submit", "--bootstrap-servers=x:1", "--nope");
    assertThat(usage.exitCode).isEqualTo(Main.USAGE);
    assertThat(usage.output).contains("Unknown option: '--nope'");
  }

  @Test
  void itCarriesTheReadmeAndCompletionAndLeavesTheBenchmarkOnlyLibraryOut() throws Exception {
    assertThat(home.resolve("README.md")).exists();
    assertThat(Files.readString(home.resolve("completion/fetchstats.bash")))
        .contains("_complete_fetchstats")
        .contains("submit");
    assertThat(Files.isExecutable(home.resolve("bin/fetchstats"))).isTrue();
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.map(jar -> jar.getFileName().toString()))
          .contains("kafka-clients-4.4.0.jar")
          .noneMatch(jar -> jar.startsWith("kafka-tools-4") || jar.startsWith("jmh"));
    }

    Result bench = run(dir, home.resolve("bin/fetchstats").toString(), "bench", "pipeline");
    assertThat(bench.exitCode).isEqualTo(Main.FAILED);
    assertThat(bench.output).contains("which the distribution leaves out");
  }

  @Test
  void theHealthScriptTellsA200OnHealthFromAnythingElse() throws Exception {
    String script = home.resolve("bin/fetchstats-health").toString();
    AtomicInteger status = new AtomicInteger(200);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
    try {
      String port = String.valueOf(server.getAddress().getPort());
      assertThat(run(dir, script, port).exitCode).isZero();
      status.set(503);
      assertThat(run(dir, script, port).exitCode).isEqualTo(1);
    } finally {
      server.stop(0);
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertThat(run(dir, script, String.valueOf(closed)).exitCode).isEqualTo(1);

    // In a container, only the commands that serve /health are asked; the others are healthy.
    Path results = dir.resolve("results-cmdline");
    Files.writeString(results, "java\0-jar\0/app/fetchstats.jar\0results\0job\0");
    assertThat(run(dir, script, "--container", results.toString()).exitCode).isZero();
    Path ingest = dir.resolve("ingest-cmdline");
    Files.writeString(ingest, "java\0-jar\0/app/fetchstats.jar\0ingest\0");
    Result unhealthy =
        run(
            dir,
            Map.of("FETCHSTATS_HTTP_PORT", String.valueOf(closed)),
            script,
            "--container",
            ingest.toString());
    assertThat(unhealthy.exitCode).isEqualTo(1);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path directory, String... command)
      throws IOException, InterruptedException {
    return run(directory, Map.of(), command);
  }

  private static Result run(Path directory, Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(directory.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
