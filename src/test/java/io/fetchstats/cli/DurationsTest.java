package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "5s, PT5S",
    "2m, PT2M",
    "1h, PT1H",
    "1d, PT24H",
    "1m30s, PT1M30S",
    "1h2m3s4ms, PT1H2M3.004S",
    "0s, PT0S",
    "' 10S ', PT10S",
    "PT0.5S, PT0.5S",
    "pt30s, PT30S",
    "P1D, PT24H"
  })
  void readsUnitsAndIso8601(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "s",
        "5 s",
        "1.5s",
        "5x",
        "-5s",
        "PT",
        "P1X",
        "1m 30s",
        "9999999999999999999s"
      })
  void refusesAnythingElseSayingWhatItTakes(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a duration: use " + Durations.FORMS);
  }

  @ParameterizedTest
  @CsvSource({
    "PT10M, 10m",
    "PT1M30S, 1m30s",
    "PT0.5S, 500ms",
    "PT0S, 0s",
    "PT25H, 1d1h",
    "PT1.0005S, 1s"
  })
  void formatsAsPeopleWriteThem(String iso, String text) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
  }
}
