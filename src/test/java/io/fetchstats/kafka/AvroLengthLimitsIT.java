package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.UrlRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Avro's length limits in a fresh JVM (the test JVM has them set by the build): in force when
 * AvroSerde is loaded first, as main does; a refusal to start when Avro read them before.
 */
@Timeout(60)
class AvroLengthLimitsIT {
  @Test
  void theLimitsAreInForceWhenAvroSerdeComesFirst() throws Exception {
    assertThat(run("serde-first")).isEqualTo("in force");
  }

  @Test
  void aStageRefusesToStartWhenAvroReadTheLimitsBefore() throws Exception {
    assertThat(run("avro-first")).startsWith("refused: Avro read its length limits before");
  }

  private static String run(String order) throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                order)
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(45, TimeUnit.SECONDS)).isTrue();
    List<String> lines =
        new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** Decodes Avro in the order given, then asks whether the limits are in force. */
  public static final class Probe {
    public static void main(String[] args) throws IOException {
      if (args[0].equals("avro-first")) {
        DecoderFactory.get().binaryDecoder(new byte[] {2, 'a'}, null).readString();
      }
      AvroSerde.of(UrlRequest.class);
      try {
        AvroSerde.requireLengthLimits();
        System.out.println("in force");
      } catch (IllegalStateException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }
}
