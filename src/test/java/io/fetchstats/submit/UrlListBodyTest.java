package io.fetchstats.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UrlListBodyTest {

  @Test
  void textIsOneUrlALineWithCommentsAndBlankLinesSkipped() {
    UrlListBody list = UrlListBody.read("# jobs\n\nhttp://h/a\n  HTTPS://h/b?x=1#y  \n");

    assertThat(list.urls()).containsExactly("http://h/a", "HTTPS://h/b?x=1#y");
    assertThat(list.invalid()).isEmpty();
    assertThat(list.refusal("f", "hint")).isNull();
  }

  @Test
  void entriesThatAreNotHttpUrlsAreNamedByLineAndReason() {
    UrlListBody list =
        UrlListBody.read("http://h/a\nREADME\nfile:///etc/passwd\nhttp:// spaced.org\nhttp://\n");

    assertThat(list.urls()).containsExactly("http://h/a");
    assertThat(list.invalid())
        .extracting(UrlListBody.Invalid::toString)
        .containsExactly(
            "line 2: 'README' is not a URL",
            "line 3: 'file:///etc/passwd' has the scheme file (only http and https are fetched)",
            "line 4: 'http:// spaced.org' holds a space",
            "line 5: 'http://' is not a URL");
  }

  @Test
  void aRefusalNamesTheFirstFiveAndCountsTheRest() {
    String text =
        IntStream.rangeClosed(1, 8).mapToObj(i -> "word" + i).collect(Collectors.joining("\n"));

    assertThat(UrlListBody.read(text).refusal("notes.txt", "--skip-invalid submits the others"))
        .isEqualTo(
            "notes.txt: 8 entries are not http(s) URLs; line 1: 'word1' is not a URL; line 2:"
                + " 'word2' is not a URL; line 3: 'word3' is not a URL; line 4: 'word4' is not a"
                + " URL; line 5: 'word5' is not a URL; and 3 more (--skip-invalid submits the"
                + " others)");
  }

  @Test
  void jsonIsAnArrayOrAnObjectWithUrlsAndItsItemsAreNamedByPlace() {
    UrlListBody array = UrlListBody.read("\n [\"http://h/a\", \"nope\"]");
    assertThat(array.urls()).containsExactly("http://h/a");
    assertThat(array.invalid()).extracting(UrlListBody.Invalid::where).containsExactly("item 2");

    UrlListBody object =
        UrlListBody.read("{\"urls\": [\"http://h/b\"], \"jobId\": \"j\", \"format\": \"csv\"}");
    assertThat(object.urls()).containsExactly("http://h/b");
    assertThat(object.jobId()).isEqualTo("j");
    assertThat(object.format()).isEqualTo("csv");
  }

  @Test
  void brokenJsonSaysWhereItBrokeInWordsOfItsOwn() {
    assertThatThrownBy(() -> UrlListBody.read("{\"urls\": [\"http://h/a\"\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON at line 2, column 1: ")
        .message()
        .doesNotContain("Source")
        .doesNotContain("REDACTED");
  }
}
