package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * What can be checked before anything starts is checked first, and fails with one line: no broker
 * where one is named, a taken HTTP port.
 */
class FailFastTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cli = Main.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"topics create", "submit --url=http://example.com/", "results some-job"})
  @Timeout(60) // the Kafka timeout is 2 s: this only catches a hang
  void withoutABrokerACommandSaysSoWithinTheKafkaTimeout(String command) {
    int closed = EmbeddedKafka.anyFreePort();
    String[] words = command.split(" ");
    String[] args = new String[words.length + 2];
    System.arraycopy(words, 0, args, 0, words.length);
    args[words.length] = "--bootstrap-servers=localhost:" + closed;
    args[words.length + 1] = "--kafka-timeout=PT2S";

    assertThat(run(args)).isEqualTo(Main.FAILED);
    assertThat(err.toString().strip())
        .isEqualTo(
            "fetchstats: cannot reach Kafka at localhost:"
                + closed
                + " within 2.0 s: is it running, and are --bootstrap-servers right?"
                + " (--kafka-timeout waits longer)");
  }

  @Test
  @Timeout(60)
  void aTakenHttpPortFailsRunBeforeTheBrokerStarts() throws Exception {
    Path dataDir = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(
              run(
                  "run",
                  "--data-dir=" + dataDir,
                  "--broker-port=" + EmbeddedKafka.anyFreePort(),
                  "--http-port=" + taken.getLocalPort()))
          .isEqualTo(Main.FAILED);
      assertThat(err.toString().strip())
          .isEqualTo(
              "fetchstats: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + " (set --http-port, or 0 for any free port)");
      assertThat(dataDir.resolve("kafka-log")).doesNotExist();
    }
    // Nothing is left holding the data dir.
    EmbeddedKafka.claim(dataDir, EmbeddedKafka.anyFreePort()).close();
    assertThat(Files.exists(dataDir.resolve("broker.lock"))).isTrue();
  }
}
