package io.fetchstats.samples;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A request target in origin form: as sent ({@code raw}), its decoded path, and its decoded query
 * parameters (the first of repeated ones).
 */
record Target(
    String raw, String rawPath, String path, String rawQuery, Map<String, String> params) {

  static Target parse(String requestTarget) throws HttpError {
    String raw = originForm(requestTarget);
    try {
      URI uri = new URI(raw);
      if (!raw.startsWith("/") || uri.getRawFragment() != null) {
        throw new HttpError(400, "bad request target\n");
      }
      String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : parts(rawQuery)) {
        int equals = pair.indexOf('=');
        params.putIfAbsent(
            decode(equals < 0 ? pair : pair.substring(0, equals)),
            equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
      return new Target(raw, uri.getRawPath(), uri.getPath(), rawQuery, params);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new HttpError(400, "bad request target\n");
    }
  }

  /**
   * This target with its {@code redirects} parameter(s) set to {@code remaining}, in place so the
   * target otherwise reads the same, or dropped at 0.
   */
  String withRedirects(int remaining) {
    List<String> kept = new ArrayList<>();
    for (String pair : parts(rawQuery)) {
      int equals = pair.indexOf('=');
      if (!decode(equals < 0 ? pair : pair.substring(0, equals)).equals("redirects")) {
        kept.add(pair);
      } else if (remaining > 0) {
        kept.add("redirects=" + remaining);
      }
    }
    return rawPath + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }

  /** Parameter {@code name}, a whole number from min to max, or {@code otherwise} if absent. */
  long number(String name, long otherwise, long min, long max) throws HttpError {
    OptionalLong value = optionalNumber(name, min, max);
    return value.isPresent() ? value.getAsLong() : otherwise;
  }

  /** Parameter {@code name}, a whole number from min to max, if present. */
  OptionalLong optionalNumber(String name, long min, long max) throws HttpError {
    String text = params.get(name);
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return OptionalLong.of(value);
      }
    } catch (NumberFormatException e) {
      // answered below, like a number out of range
    }
    throw new HttpError(
        400, "bad " + name + "=" + text + ": a whole number from " + min + " to " + max + "\n");
  }

  /** Parameter {@code name}, the choice with that name, if present. */
  <T> Optional<T> named(String name, T[] choices, Function<T, String> nameOf) throws HttpError {
    String text = params.get(name);
    if (text == null) {
      return Optional.empty();
    }
    for (T choice : choices) {
      if (nameOf.apply(choice).equals(text)) {
        return Optional.of(choice);
      }
    }
    throw new HttpError(400, "unknown " + name + "=" + text + "\n");
  }

  /** The path and query of an absolute-form target (which a server must accept) as they are. */
  private static String originForm(String target) {
    String lower = target.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return target;
    }
    int authority = target.indexOf("//") + 2;
    int path = indexOfAny(target, authority, "/?");
    if (path < 0) {
      return "/";
    }
    return target.charAt(path) == '?' ? "/" + target.substring(path) : target.substring(path);
  }

  private static int indexOfAny(String text, int from, String chars) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> parts(String rawQuery) {
    List<String> parts = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
