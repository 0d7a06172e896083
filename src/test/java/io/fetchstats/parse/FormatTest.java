package io.fetchstats.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void aJsonChunkWhoseHeaderReopensMoreThanItHoldsIsAnErrorNotAnException() {
    // Found by HostileInputPropertiesTest: JsonParser's range check threw out of Format.parse.
    byte[] chunk = "[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    ParseReport report =
        Format.JSON.parse(chunk, 0, chunk.length, "{\"data\":[", false, new RecordingSink());

    assertThat(report)
        .isEqualTo(
            new ParseReport(
                0, 0, "a JSON chunk's header re-opens 9 bytes, more than the chunk's 3"));
  }

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
  void jsonByContentType() {
    assertThat(Format.detect("application/json", null)).isEqualTo(Format.JSON);
    assertThat(Format.detect("Application/JSON; charset=UTF-8", "/data")).isEqualTo(Format.JSON);
    assertThat(Format.detect("application/geo+json", "/map")).isEqualTo(Format.JSON);
    assertThat(Format.detect("application/vnd.api+json", null)).isEqualTo(Format.JSON);
    assertThat(Format.detect("application/json", "/export.csv")).isEqualTo(Format.JSON);
  }

  @Test
  void ndjsonByContentType() {
    for (String type :
        new String[] {
          "application/x-ndjson",
          "application/ndjson",
          "application/jsonl",
          "application/x-jsonlines",
          "application/jsonlines; charset=utf-8"
        }) {
      assertThat(Format.detect(type, "/events")).as(type).isEqualTo(Format.NDJSON);
    }
  }

  @Test
  void jsonAndNdjsonByPath() {
    assertThat(Format.detect(null, "/a/b.json")).isEqualTo(Format.JSON);
    assertThat(Format.detect("text/plain", "/B.JSON?v=2")).isEqualTo(Format.JSON);
    assertThat(Format.detect("application/octet-stream", "/e.ndjson")).isEqualTo(Format.NDJSON);
    assertThat(Format.detect(null, "/e.JSONL#top")).isEqualTo(Format.NDJSON);
  }

  @Test
  void anNdjsonPathWinsOverAPlainJsonMediaType() {
    assertThat(Format.detect("application/json", "/events.jsonl")).isEqualTo(Format.NDJSON);
    assertThat(Format.detect("application/json", "/events.ndjson")).isEqualTo(Format.NDJSON);
    assertThat(Format.detect("application/x-ndjson", "/events.json")).isEqualTo(Format.NDJSON);
    assertThat(Format.detect("text/csv", "/events.jsonl")).isEqualTo(Format.CSV);
  }

  @Test
  void aBodyWithoutASpecificTypeIsSniffed() {
    assertThat(sniff(null, " \n[{\"a\": 1}]")).isEqualTo(Format.JSON);
    assertThat(sniff("text/plain; charset=utf-8", "\uFEFF{\"a\": 1}")).isEqualTo(Format.JSON);
    assertThat(sniff("application/octet-stream", "{\"a\": 1}\n  {\"a\": 2}\n"))
        .isEqualTo(Format.NDJSON);
    assertThat(sniff(null, "1 2 3\n")).isEqualTo(Format.TEXT);
    assertThat(sniff(null, "   ")).isEqualTo(Format.TEXT);
    // A specific type is trusted, whatever the bytes.
    assertThat(Format.sniff(Format.TEXT, "text/markdown", utf8("[1]"), 3)).isEqualTo(Format.TEXT);
    assertThat(Format.sniff(Format.CSV, null, utf8("[1]"), 3)).isEqualTo(Format.CSV);
  }

  private static Format sniff(String contentType, String start) {
    byte[] bytes = utf8(start);
    return Format.sniff(Format.detect(contentType, "/data"), contentType, bytes, bytes.length);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void tabSeparatedValuesByTypeOrExtension() {
    assertThat(Format.detect("text/tab-separated-values", "/a")).isEqualTo(Format.TSV);
    assertThat(Format.detect("text/plain", "/data/A.TSV")).isEqualTo(Format.TSV);
    assertThat(Format.detect(null, "/a.tab?x=1")).isEqualTo(Format.TSV);
    assertThat(Format.TSV.delimiter("a,b,c")).isEqualTo((byte) '\t');
    assertThat(Format.CSV.delimiter("a;b;\"c,d\"")).isEqualTo((byte) ';');
    assertThat(Format.CSV.delimiter("a\tb\tc")).isEqualTo((byte) '\t');
    assertThat(Format.CSV.delimiter("a,b;c")).isEqualTo((byte) ',');
    assertThat(Format.CSV.delimiter("value")).isEqualTo((byte) ',');
  }

  @Test
  void everythingElseIsText() {
    assertThat(Format.detect(null, null)).isEqualTo(Format.TEXT);
    assertThat(Format.detect("text/plain", "/a.txt")).isEqualTo(Format.TEXT);
    assertThat(Format.detect("", "")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "csv")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "/a.csv.gz")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "/a.json.gz")).isEqualTo(Format.TEXT);
    assertThat(Format.detect(null, "json")).isEqualTo(Format.TEXT);
    assertThat(Format.detect("application/jsonp", "/a")).isEqualTo(Format.TEXT);
  }
}
