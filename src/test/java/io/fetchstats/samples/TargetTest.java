package io.fetchstats.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

  @Test
  void decodesThePathAndTheFirstOfEachParameter() throws HttpError {
    Target target = Target.parse("/a%20b/c.csv?x=1&y=%2F+z&x=2&flag");

    assertThat(target.raw()).isEqualTo("/a%20b/c.csv?x=1&y=%2F+z&x=2&flag");
    assertThat(target.path()).isEqualTo("/a b/c.csv");
    assertThat(target.params())
        .containsExactly(Map.entry("x", "1"), Map.entry("y", "/ z"), Map.entry("flag", ""));
  }

  @Test
  void takesThePathAndQueryOfAnAbsoluteTarget() throws HttpError {
    assertThat(Target.parse("http://127.0.0.1:8080/gen/csv?bytes=5").raw())
        .isEqualTo("/gen/csv?bytes=5");
    assertThat(Target.parse("HTTP://host?bytes=5").raw()).isEqualTo("/?bytes=5");
    assertThat(Target.parse("https://host").raw()).isEqualTo("/");
  }

  @Test
  void countsRedirectsDownInPlaceAndDropsTheParameterAtZero() throws HttpError {
    Target target = Target.parse("/p%20q?a=%41&redirects=2&b=2");

    assertThat(target.withRedirects(1)).isEqualTo("/p%20q?a=%41&redirects=1&b=2");
    assertThat(target.withRedirects(0)).isEqualTo("/p%20q?a=%41&b=2");
    assertThat(Target.parse("/p?redirects=1").withRedirects(0)).isEqualTo("/p");
  }

  @Test
  void readsNumbersAndNamesOrSaysWhatIsWrong() throws HttpError {
    Target target = Target.parse("/p?n=12&big=99&word=x&choice=deflate");

    assertThat(target.number("n", 0, 0, 100)).isEqualTo(12);
    assertThat(target.number("absent", 7, 0, 100)).isEqualTo(7);
    assertThat(target.named("choice", Encoding.values(), Encoding::token))
        .contains(Encoding.DEFLATE);
    assertThat(target.named("absent", Encoding.values(), Encoding::token)).isEmpty();
    assertThatThrownBy(() -> target.number("big", 0, 0, 10))
        .hasMessage("bad big=99: a whole number from 0 to 10\n");
    assertThatThrownBy(() -> target.number("word", 0, 0, 10)).hasMessageStartingWith("bad word=x");
    assertThatThrownBy(() -> target.named("word", Encoding.values(), Encoding::token))
        .hasMessage("unknown word=x\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "relative", "/a b", "/p?x=%zz", "/p#fragment"})
  void aBadTargetIs400(String raw) {
    assertThatThrownBy(() -> Target.parse(raw))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
