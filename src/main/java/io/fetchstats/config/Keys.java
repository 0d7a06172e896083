package io.fetchstats.config;

import okhttp3.HttpUrl;

/**
 * Record keys of the pipeline's topics, as UTF-8 strings. Job ids never contain {@code |}, so the
 * job id is always the part before the first one.
 */
public final class Keys {
  private Keys() {}

  /** Key of url-results: one URL of a job. */
  public static String url(String jobId, String url) {
    return jobId + "|" + url;
  }

  /** Key of fetches and of the URL aggregation: one request (a URL can be requested twice). */
  public static String request(String jobId, String url, String requestId) {
    return url(jobId, url) + "|" + requestId;
  }

  /**
   * The URL as OkHttp normalises it (scheme and host in lower case, default port dropped, escapes
   * made uniform), so that spellings of one resource count as one; the text itself if unparseable.
   */
  public static String canonicalUrl(String url) {
    return canonicalUrl(HttpUrl.parse(url.strip()), url);
  }

  /** {@link #canonicalUrl(String)} of a URL parsed already ({@code null} if it does not parse). */
  public static String canonicalUrl(HttpUrl parsed, String url) {
    return parsed == null ? url.strip() : parsed.toString();
  }

  /** Key of chunks: spreads the chunks of one body over every partition. */
  public static String chunk(String jobId, String url, String requestId, int seq) {
    return request(jobId, url, requestId) + "|" + seq;
  }
}
