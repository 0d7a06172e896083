package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void aLetterCopiesTheRecordAndSaysWhyAndWhere() {
    DeadLetters.Letter letter =
        DeadLetters.letter(bytes(3), bytes(5), "E", "why", "fetchstats.chunks", 2, 41);

    assertThat(letter.key()).hasSize(3);
    assertThat(letter.value()).hasSize(5);
    assertThat(letter.reason()).isEqualTo("why");
    assertThat(header(letter, DeadLetters.EXCEPTION)).isEqualTo("E");
    assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo("fetchstats.chunks");
    assertThat(header(letter, DeadLetters.PARTITION)).isEqualTo("2");
    assertThat(header(letter, DeadLetters.OFFSET)).isEqualTo("41");
  }

  @Test
  void aValueTooLargeToCopyIsLeftWhereItIsAndTheReasonSaysWhere() {
    DeadLetters.Letter letter =
        DeadLetters.letter(
            bytes(10), bytes(DeadLetters.MAX_COPIED_BYTES), "E", "why", "fetchstats.urls", 0, 7);

    assertThat(letter.key()).hasSize(10);
    assertThat(letter.value()).isNull();
    assertThat(letter.reason())
        .isEqualTo(
            "why (the value, "
                + DeadLetters.MAX_COPIED_BYTES
                + " bytes, is not copied here: it is at fetchstats.urls-0@7)");
  }

  private static byte[] bytes(int length) {
    return new byte[length];
  }

  private static String header(DeadLetters.Letter letter, String name) {
    return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
