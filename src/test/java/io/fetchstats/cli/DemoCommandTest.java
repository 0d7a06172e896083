package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user would, to completion. */
class DemoCommandTest {
  @TempDir Path dataDir;

  @Test
  @Timeout(240)
  void theDemoRunsToACompleteJobTable() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("demo", "--data-dir", dataDir.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("complete (24/24 URLs done)")
        .contains("URLs: 22 succeeded, 2 failed")
        .containsPattern("temperature\\s+63000\\s")
        .containsPattern("value\\s+105000\\s")
        .contains("HTTP_STATUS: HTTP 404 Not Found")
        .contains("NO_NUMBERS");
    assertThat(err.toString()).contains("Submitted job").contains("progress: 24/24 URLs done");
  }
}
