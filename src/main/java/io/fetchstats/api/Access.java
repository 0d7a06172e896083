package io.fetchstats.api;

import io.fetchstats.config.HttpSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may use the API and its page. Reading is open to whoever reaches the server; what makes the
 * host fetch or cancels a job (POST, DELETE) needs the token when one is set. And since a browser
 * sends requests for any web page it shows:
 *
 * <ul>
 *   <li>a POST or DELETE that a page of another origin sends (its {@code Origin} is not this
 *       server) is refused, so a web site cannot submit jobs through a visitor's browser;
 *   <li>a server on loopback answers only requests addressed to loopback ({@code Host}), so a web
 *       site whose name it rebinds to 127.0.0.1 cannot read it either.
 * </ul>
 *
 * @param token what POST and DELETE must bring as {@code Authorization: Bearer TOKEN}, or null
 * @param loopbackOnly whether the server listens on loopback only
 */
record Access(String token, boolean loopbackOnly) {
  private static final Pattern LOOPBACK_HOST =
      Pattern.compile("(localhost|.+\\.localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d+)?");

  static Access of(HttpSettings http) {
    return new Access(http.apiToken(), isLoopback(http.bind()));
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Fails with 403 or 401 unless {@code request} is allowed. */
  void check(Request request) {
    String host = request.header("Host");
    if (loopbackOnly
        && host != null
        && !LOOPBACK_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
      throw new ApiException(
          403,
          "this server listens on loopback and answers requests for a loopback address only, not"
              + " for '"
              + host
              + "'");
    }
    if (!(request.method().equals("POST") || request.method().equals("DELETE"))) {
      return;
    }
    String origin = request.header("Origin");
    if (origin != null && (host == null || !host.equalsIgnoreCase(authority(origin)))) {
      throw new ApiException(
          403, "a " + request.method() + " from another origin (" + origin + ") is refused");
    }
    if (token != null && !bringsToken(request.header("Authorization"))) {
      throw new ApiException(
          401,
          (request.header("Authorization") == null ? "this server needs a token" : "wrong token")
              + " for POST and DELETE: send 'Authorization: Bearer TOKEN' with the token it was"
              + " started with (--api-token)",
          Map.of("WWW-Authenticate", "Bearer"));
    }
  }

  /** The host and port of an origin ("null" and other non-URLs have none). */
  private static String authority(String origin) {
    try {
      String authority = URI.create(origin).getRawAuthority();
      return authority == null ? "" : authority;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** Whether {@code authorization} is {@code Bearer TOKEN} (the scheme in any case). */
  private boolean bringsToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // Constant time: how much of a guess is right does not show in how long the answer takes.
    return MessageDigest.isEqual(
        authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Access[token="
        + (token == null ? "none" : "set")
        + ", loopbackOnly="
        + loopbackOnly
        + "]";
  }
}
