package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.it.ChildJvm;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FetchCommandIT {
  private static final long GIB = 1L << 30;
  private static SampleServer server;

  @BeforeAll
  static void start() {
    server = SampleServer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void printsHowEachUrlWentAndFailsIfOneDid() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));

    int exit =
        cli.execute(
            "fetch",
            "--allow-private-networks",
            server.baseUrl() + "/gen/csv?bytes=5000",
            server.baseUrl() + "/gen/csv?status=404");

    assertThat(exit).isEqualTo(Main.FAILED);
    assertThat(out.toString())
        .containsPattern(
            "/gen/csv\\?bytes=5000  200 CSV, \\d+ bytes in 1 chunks, sha256 [0-9a-f]{64}")
        .contains("/gen/csv?status=404  HTTP_STATUS: HTTP 404");
  }

  @Test
  void defaultsRefuseLoopback() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("fetch", server.baseUrl() + "/gen/text")).isEqualTo(Main.FAILED);
    assertThat(out.toString()).contains("BLOCKED_ADDRESS");
  }

  /** Bodies stream through: a 1 GiB body passes a JVM of 256 MiB heap, hashed and chunked. */
  @Test
  @Timeout(120)
  void aGibibyteBodyPassesThroughA256MibHeap(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path log = dir.resolve("fetch.log");
    Process fetch =
        ChildJvm.fetchstats(
            log,
            List.of("-Xmx256m"),
            "fetch",
            "--allow-private-networks",
            "--chunk-size=4000000",
            server.baseUrl() + "/gen/text?bytes=" + GIB);
    try {
      assertThat(fetch.waitFor(90, TimeUnit.SECONDS)).as("fetch ended").isTrue();
    } finally {
      fetch.destroyForcibly();
    }
    String output = Files.readString(log);

    assertThat(fetch.exitValue()).as(output).isZero();
    Matcher fetched = Pattern.compile("200 TEXT, (\\d+) bytes in \\d+ chunks").matcher(output);
    assertThat(fetched.find()).as(output).isTrue();
    // Whole lines of numbers, up to 1 GiB.
    assertThat(Long.parseLong(fetched.group(1))).isBetween(GIB - 1000, GIB);
  }
}
