package io.fetchstats.domain;

import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Record keys of the pipeline's topics, as UTF-8 strings. Job ids never contain {@code |}, so the
 * job id is always the part before the first one.
 */
public final class Keys {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /**
   * A URL longer than this is refused (browsers and servers stop far below; a record of megabytes
   * would be refused by Kafka midway through a transaction).
   */
  public static final int MAX_URL_LENGTH = 64 * 1024;

  private Keys() {}

  /** Why {@code jobId} cannot name a job, or null if it can. */
  public static String jobIdProblem(String jobId) {
    return JOB_ID.matcher(jobId).matches()
        ? null
        : "invalid job id '"
            + abbreviate(jobId)
            + "': use 1 to 128 letters, digits, '.', '_' or '-'";
  }

  /** Throws {@link IllegalArgumentException} if {@code jobId} cannot name a job. */
  public static void validateJobId(String jobId) {
    String problem = jobIdProblem(jobId);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** {@code text} cut to a length a message can show, with how long it was. */
  public static String abbreviate(String text) {
    return abbreviate(text, 200);
  }

  /** {@code text} cut to {@code shown} characters, with how long it was. */
  public static String abbreviate(String text, int shown) {
    return text.length() <= shown
        ? text
        : text.substring(0, shown) + "... (" + text.length() + " characters)";
  }

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
