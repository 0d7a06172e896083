package io.fetchstats.submit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.domain.UrlList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A URL list as users send it, to {@code POST /jobs} or {@code submit}: text with one URL a line
 * ({@code #} comments, blank lines), or JSON when it starts with {@code [} or {@code {} (whatever
 * the content type says): an array of URLs, or an object with {@code "urls"} and optionally {@code
 * "jobId"} and {@code "format"}.
 *
 * <p>Every line must be an http or https URL: a list with anything else (a README, a jar, {@code
 * hello world}) is refused with the lines at fault, unless the caller asks to skip them. What only
 * fetching can tell (a host that does not resolve) stays a failure of the job's URL.
 */
public record UrlListBody(List<String> urls, List<Invalid> invalid, String jobId, String format) {

  /**
   * An entry that is not a URL to fetch: where it is ("line 3", or "item 3" of a JSON array), what
   * it says, and why not.
   */
  public record Invalid(String where, String text, String why) {
    @Override
    public String toString() {
      return where + ": '" + shortened(text) + "' " + why;
    }
  }

  /** How many invalid lines a refusal names; the rest are counted. */
  static final int NAMED = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How Jackson names a place inside its messages; said as the rest of the message says it. */
  private static final Pattern JACKSON_SOURCE =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

  private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://[^\\s/?#]+\\S*");

  /** Reads {@code text}: JSON if it starts with [ or {, else one URL a line. */
  public static UrlListBody read(String text) {
    String start = text.stripLeading();
    if (start.startsWith("[") || start.startsWith("{")) {
      return readJson(text);
    }
    return checked(text.lines().toList(), "line", null, null);
  }

  /**
   * The refusal of a list with invalid entries, in one message: {@code source} (say, a file's
   * name), the first few entries named, the rest counted, and {@code hint} (how to skip them). Null
   * if every entry is a URL.
   */
  public String refusal(String source, String hint) {
    if (invalid.isEmpty()) {
      return null;
    }
    StringBuilder message = new StringBuilder(source).append(": ");
    message.append(
        invalid.size() == 1
            ? "an entry is not an http(s) URL"
            : invalid.size() + " entries are not http(s) URLs");
    invalid.stream().limit(NAMED).forEach(entry -> message.append("; ").append(entry));
    if (invalid.size() > NAMED) {
      message.append("; and ").append(invalid.size() - NAMED).append(" more");
    }
    return message.append(" (").append(hint).append(')').toString();
  }

  private static UrlListBody checked(List<String> lines, String unit, String jobId, String format) {
    List<String> urls = new ArrayList<>();
    List<Invalid> invalid = new ArrayList<>();
    for (UrlList.Entry entry : UrlList.parse(lines)) {
      String why = whyNot(entry.url());
      if (why == null) {
        urls.add(entry.url());
      } else {
        invalid.add(new Invalid(unit + " " + (entry.line() + 1), entry.url(), why));
      }
    }
    return new UrlListBody(List.copyOf(urls), List.copyOf(invalid), jobId, format);
  }

  /** Null for an http(s) URL; else why it is not one. */
  private static String whyNot(String line) {
    if (HTTP_URL.matcher(line).matches()) {
      return null;
    }
    int colon = line.indexOf("://");
    if (colon > 0 && line.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      String scheme = line.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "has the scheme " + scheme + " (only http and https are fetched)";
      }
    }
    return line.chars().anyMatch(Character::isWhitespace) ? "holds a space" : "is not a URL";
  }

  /** Reads {@code text} as JSON, as a body sent as application/json is. */
  public static UrlListBody readJson(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(
          "invalid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + JACKSON_SOURCE
                  .matcher(e.getOriginalMessage().lines().findFirst().orElse(""))
                  .replaceAll("line $1, column $2"));
    }
    JsonNode urls = root.isObject() ? root.get("urls") : root;
    if (urls == null || !urls.isArray()) {
      throw new IllegalArgumentException(
          "expected a JSON array of URLs, or an object with \"urls\": [...]");
    }
    List<String> lines = new ArrayList<>(urls.size());
    for (JsonNode url : urls) {
      if (!url.isTextual()) {
        throw new IllegalArgumentException("a URL must be a JSON string, not " + url);
      }
      lines.add(url.asText());
    }
    return checked(lines, "item", text(root, "jobId"), text(root, "format"));
  }

  private static String text(JsonNode root, String name) {
    JsonNode value = root.isObject() ? root.get(name) : null;
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }
    return value.asText();
  }

  private static String shortened(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
