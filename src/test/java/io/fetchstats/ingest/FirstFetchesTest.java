package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class FirstFetchesTest {
  private final FirstFetches firsts = new FirstFetches(100);

  @Test
  void aUrlListedAgainInItsJobNamesItsFirstRequestWhateverItsSpelling() {
    CompletableFuture<FetchResult> result = new CompletableFuture<>();
    firsts.add(
        request("job", "http://example.org/a.txt", "0:0:0"),
        parsed("http://example.org/a.txt"),
        result);

    FirstFetches.First first = earlier(request("job", "HTTP://EXAMPLE.org:80/a.txt", "0:0:3"));

    assertThat(first).isNotNull();
    assertThat(first.requestId()).isEqualTo("0:0:0");
    assertThat(first.result()).isSameAs(result);
  }

  @Test
  void anotherJobOrTheSameRequestAgainIsNoDuplicate() {
    add(request("job", "http://example.org/a.txt", "0:0:0"));

    assertThat(earlier(request("other", "http://example.org/a.txt", "0:1:0"))).isNull();
    assertThat(earlier(request("job", "http://example.org/a.txt", "0:0:0"))).isNull();
    assertThat(earlier(request("job", "http://example.org/b.txt", "0:0:1"))).isNull();
  }

  @Test
  void anUnparseableUrlIsKnownByItsText() {
    add(request("job", "not a url", "0:0:0"));

    assertThat(earlier(request("job", " not a url ", "0:0:1"))).isNotNull();
  }

  @Test
  void theFirstsOfAnAbortedTransactionAreForgottenAndThoseOfACommittedOneKept() {
    add(request("job", "http://example.org/a.txt", "0:0:0"));
    firsts.abort();
    assertThat(earlier(request("job", "http://example.org/a.txt", "0:0:1"))).isNull();

    add(request("job", "http://example.org/a.txt", "0:0:1"));
    firsts.commit();
    firsts.abort();
    assertThat(earlier(request("job", "http://example.org/a.txt", "0:0:2")).requestId())
        .isEqualTo("0:0:1");
  }

  @Test
  void theFirstOfTheTransactionInHandWinsOverACommittedOne() {
    add(request("job", "http://example.org/a.txt", "0:0:0"));
    firsts.commit();
    add(request("job", "http://example.org/a.txt", "0:0:0")); // fetched again: the same request

    assertThat(earlier(request("job", "http://example.org/a.txt", "0:0:1")).requestId())
        .isEqualTo("0:0:0");
  }

  @Test
  void theLeastRecentlyUsedAreForgottenPastTheLimit() {
    FirstFetches two = new FirstFetches(2);
    for (String url : new String[] {"http://a.test/", "http://b.test/"}) {
      UrlRequests.Request request = request("job", url, url);
      two.add(request, parsed(url), new CompletableFuture<>());
    }
    two.commit();
    // Asking for a keeps it: b is now the least recently used.
    assertThat(two.earlier(request("job", "http://a.test/", "x"), parsed("http://a.test/")))
        .isNotNull();
    two.add(
        request("job", "http://c.test/", "c"), parsed("http://c.test/"), new CompletableFuture<>());
    two.commit();

    assertThat(two.earlier(request("job", "http://a.test/", "x"), parsed("http://a.test/")))
        .isNotNull();
    assertThat(two.earlier(request("job", "http://b.test/", "x"), parsed("http://b.test/")))
        .isNull();
  }

  private void add(UrlRequests.Request request) {
    firsts.add(request, parsed(request.url()), new CompletableFuture<>());
  }

  private FirstFetches.First earlier(UrlRequests.Request request) {
    return firsts.earlier(request, parsed(request.url()));
  }

  private static HttpUrl parsed(String url) {
    return HttpUrl.parse(url.strip());
  }

  private static UrlRequests.Request request(String jobId, String url, String requestId) {
    return new UrlRequests.Request(jobId, url, requestId, 0, null);
  }
}
