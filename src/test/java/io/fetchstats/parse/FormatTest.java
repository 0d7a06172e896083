package io.fetchstats.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void csvByContentType() {
    assertThat(Format.detect("text/csv", null)).isEqualTo(Format.CSV);
    assertThat(Format.detect("Text/CSV; charset=utf-8", "/data")).isEqualTo(Format.CSV);
    assertThat(Format.detect("application/csv", null)).isEqualTo(Format.CSV);
  }

  @Test
  void csvByPath() {
    assertThat(Format.detect(null, "/files/prices.csv")).isEqualTo(Format.CSV);
    assertThat(Format.detect("text/plain", "/files/PRICES.CSV")).isEqualTo(Format.CSV);
    assertThat(Format.detect("text/plain", "/files/prices.csv?raw=1#x")).isEqualTo(Format.CSV);
  }

  @Test
  void everythingElseIsText() {
    assertThat(Format.detect(null, null)).isEqualTo(Format.TEXT);
    assertThat(Format.detect("text/plain", "/a.txt")).isEqualTo(Format.TEXT);
    assertThat(Format.detect("text/tab-separated-values", "/a.tsv")).isEqualTo(Format.TEXT);
    assertThat(Format.detect("", "")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "csv")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "/a.csv.gz")).isEqualTo(Format.TEXT);
  }
}
