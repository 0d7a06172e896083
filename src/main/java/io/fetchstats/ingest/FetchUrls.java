package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Which URLs are fetched, of a list or of a redirect: http or https, as OkHttp parses them, with an
 * IPv4 host in dotted-decimal form.
 */
final class FetchUrls {
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

  /** A URL that is not fetched, and the failure it is. */
  static final class InvalidUrlException extends Exception {
    private final FailureClass failure;

    InvalidUrlException(FailureClass failure, String message) {
      super(message);
      this.failure = failure;
    }

    FailureClass failure() {
      return failure;
    }
  }

  private FetchUrls() {}

  /** The URL of a list to fetch. */
  static HttpUrl parse(String url) throws InvalidUrlException {
    String trimmed = url.strip();
    Matcher scheme = SCHEME.matcher(trimmed);
    if (!scheme.lookingAt()) {
      throw new InvalidUrlException(
          FailureClass.INVALID_URL, "invalid URL '" + trimmed + "': no scheme");
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!name.equals("http") && !name.equals("https")) {
      throw new InvalidUrlException(
          FailureClass.UNSUPPORTED_SCHEME,
          "unsupported scheme '" + name + "': only http and https");
    }
    // OkHttp's own parser decides, so whatever it can fetch is valid (it percent-encodes as
    // browsers do).
    HttpUrl parsed = HttpUrl.parse(trimmed);
    if (parsed == null) {
      throw new InvalidUrlException(
          FailureClass.INVALID_URL, "invalid URL '" + trimmed + "': bad host or port");
    }
    return withIpv4HostRead(parsed);
  }

  /** Where a redirect leads: the same rules as a URL of the list (http or https only). */
  static HttpUrl redirectTarget(HttpUrl from, String location) throws InvalidUrlException {
    HttpUrl next = from.resolve(location);
    try {
      if (next != null) {
        return withIpv4HostRead(next);
      }
      parse(location);
    } catch (InvalidUrlException e) {
      throw new InvalidUrlException(e.failure, "redirected to " + e.getMessage());
    }
    throw new InvalidUrlException(
        FailureClass.INVALID_URL, "redirected to an invalid location '" + location + "'");
  }

  /**
   * The URL with an IPv4 host in dotted-decimal form, read as browsers read it ({@link Ipv4Host}),
   * so that the address policy checks, and the connection goes to, the address the URL names.
   */
  private static HttpUrl withIpv4HostRead(HttpUrl url) throws InvalidUrlException {
    String host =
        Ipv4Host.canonical(url.host())
            .orElseThrow(
                () ->
                    new InvalidUrlException(
                        FailureClass.INVALID_URL,
                        "invalid URL '"
                            + url
                            + "': the host ends in a number but is not an IPv4 address"));
    return host.equals(url.host()) ? url : url.newBuilder().host(host).build();
  }
}
