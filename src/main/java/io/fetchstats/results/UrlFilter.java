package io.fetchstats.results;

import io.fetchstats.avro.UrlResult;
import java.util.Locale;

/**
 * Which URL results of a job a reader wants: those whose URL holds {@code search} (ignoring case;
 * null: any), and with {@code failedOnly} only the failed ones. The URL is tested before its result
 * is decoded, so a search reads only the statistics of the URLs it finds.
 */
public record UrlFilter(String search, boolean failedOnly) {
  public static final UrlFilter ALL = new UrlFilter(null, false);
  public static final UrlFilter FAILED = new UrlFilter(null, true);

  public UrlFilter {
    search = search == null || search.isEmpty() ? null : search.toLowerCase(Locale.ROOT);
  }

  public boolean matchesUrl(String url) {
    return search == null || url.toLowerCase(Locale.ROOT).contains(search);
  }

  public boolean matches(UrlResult url) {
    return matchesUrl(url.getUrl()) && (!failedOnly || failed(url));
  }

  /** Whether a URL's result is a failure, which a retry fetches again. */
  public static boolean failed(UrlResult url) {
    return url.getComplete() && Boolean.FALSE.equals(url.getOk());
  }
}
