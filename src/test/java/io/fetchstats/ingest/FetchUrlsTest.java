package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.domain.FailureClass;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class FetchUrlsTest {
  @Test
  void anHttpOrHttpsUrlIsFetchedAsOkHttpParsesIt() throws Exception {
    assertThat(FetchUrls.parse(" HTTP://Example.org:80/a b.csv ").toString())
        .isEqualTo("http://example.org/a%20b.csv");
    assertThat(FetchUrls.parse("https://example.org/x").isHttps()).isTrue();
  }

  @Test
  void anIpv4HostIsReadAsBrowsersReadIt() throws Exception {
    assertThat(FetchUrls.parse("http://0x7f.1/").host()).isEqualTo("127.0.0.1");
  }

  @Test
  void whatIsNotFetchedNamesItsFailure() {
    assertFailure(
        () -> FetchUrls.parse("example.org/a.csv"), FailureClass.INVALID_URL, "no scheme");
    assertFailure(
        () -> FetchUrls.parse("ftp://example.org/a.csv"),
        FailureClass.UNSUPPORTED_SCHEME,
        "unsupported scheme 'ftp'");
    assertFailure(
        () -> FetchUrls.parse("http://exa mple.org:99999/"),
        FailureClass.INVALID_URL,
        "bad host or port");
    assertFailure(
        () -> FetchUrls.parse("http://1.2.3.999/"),
        FailureClass.INVALID_URL,
        "not an IPv4 address");
  }

  @Test
  void aRedirectResolvesAgainstItsUrlUnderTheSameRules() throws Exception {
    HttpUrl from = HttpUrl.parse("http://example.org/dir/a.csv");

    assertThat(FetchUrls.redirectTarget(from, "b.csv").toString())
        .isEqualTo("http://example.org/dir/b.csv");
    assertThat(FetchUrls.redirectTarget(from, "https://0x7f.1/c").toString())
        .isEqualTo("https://127.0.0.1/c");
    assertFailure(
        () -> FetchUrls.redirectTarget(from, "ftp://example.org/"),
        FailureClass.UNSUPPORTED_SCHEME,
        "redirected to unsupported scheme 'ftp'");
  }

  private interface Parse {
    HttpUrl run() throws Exception;
  }

  private static void assertFailure(Parse parse, FailureClass failure, String message) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(
            FetchUrls.InvalidUrlException.class, e -> assertThat(e.failure()).isEqualTo(failure))
        .hasMessageContaining(message);
  }
}
