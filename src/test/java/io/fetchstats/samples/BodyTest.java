package io.fetchstats.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyTest {
  private static final Body BODY = new Body(ascii("ab"), ascii("0123"), 10, ascii("XY"));
  private static final String WHOLE = "ab0123012301XY";

  @Test
  void isTheHeadThenTheBlockRepeatedThenTheTail() {
    assertThat(BODY.length()).isEqualTo(WHOLE.length());
    assertThat(new String(BODY.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(WHOLE);
  }

  @Test
  void writesAnyRange() throws IOException {
    for (int from = 0; from <= WHOLE.length(); from++) {
      for (int to = from; to <= WHOLE.length(); to++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BODY.write(out, from, to);
        assertThat(out.toString(StandardCharsets.US_ASCII))
            .as("bytes %d to %d", from, to)
            .isEqualTo(WHOLE.substring(from, to));
      }
    }
  }

  @Test
  void aPlainBodyIsItsBytes() {
    assertThat(Body.of(ascii("plain")).toByteArray()).isEqualTo(ascii("plain"));
  }

  @Test
  void cannotCycleAnEmptyBlock() {
    assertThatThrownBy(() -> new Body(ascii("a"), new byte[0], 1, ascii("b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
