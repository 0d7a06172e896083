package io.fetchstats.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A URL's host read as browsers and curl read an IPv4 address, by the WHATWG URL Standard's IPv4
 * parser: one to four parts split on '.', a trailing empty part allowed, each part decimal, hex
 * ({@code 0x}) or octal (a leading {@code 0}), the last part filling the bytes that are left
 * ({@code 0x7f.1} and {@code 2130706433} are 127.0.0.1). OkHttp keeps such a host as written and
 * the JDK's resolver reads it otherwise ({@code 0177.0.0.1} as 177.0.0.1), so without this the
 * address checked and connected to would not be the one the URL names.
 */
final class Ipv4Host {
  /** Past every part's range: a number at least this large is kept as this. */
  private static final long TOO_LARGE = 1L << 32;

  private Ipv4Host() {}

  /**
   * The host in dotted-decimal form if it is an IPv4 address, the host itself if it does not end in
   * a number (a name or an IPv6 address), or empty if it ends in a number but is not an IPv4
   * address ({@code 1.2.3.256}, {@code 09}, {@code example.1}): browsers refuse such a URL.
   *
   * @param host as {@code HttpUrl.host()} gives it: percent-decoded, mapped to lower-case ASCII
   */
  static Optional<String> canonical(String host) {
    if (host.indexOf(':') >= 0 || !endsInANumber(host)) {
      return Optional.of(host);
    }
    OptionalLong address = address(host);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    long a = address.getAsLong();
    return Optional.of(
        (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF));
  }

  /** Whether the host must be an IPv4 address: its last part is a number. */
  private static boolean endsInANumber(String host) {
    List<String> parts = parts(host);
    String last = parts.get(parts.size() - 1);
    return (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9'))
        || number(last).isPresent();
  }

  private static OptionalLong address(String host) {
    List<String> parts = parts(host);
    if (parts.size() > 4) {
      return OptionalLong.empty();
    }
    long address = 0;
    for (int i = 0; i < parts.size(); i++) {
      OptionalLong number = number(parts.get(i));
      if (number.isEmpty()) {
        return OptionalLong.empty();
      }
      long n = number.getAsLong();
      boolean last = i == parts.size() - 1;
      // Each part but the last is one byte; the last fills the bytes that are left.
      long limit = last ? 1L << 8 * (4 - i) : 1L << 8;
      if (n >= limit) {
        return OptionalLong.empty();
      }
      address += last ? n : n << 8 * (3 - i);
    }
    return OptionalLong.of(address);
  }

  /** The parts split on '.', less a trailing empty one (but never the only one). */
  private static List<String> parts(String host) {
    List<String> parts = new ArrayList<>(Arrays.asList(host.split("\\.", -1)));
    if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
      parts.remove(parts.size() - 1);
    }
    return parts;
  }

  /**
   * A part's value (hex after {@code 0x}, octal after a leading {@code 0}, decimal otherwise;
   * {@code 0x} alone is 0), at most {@link #TOO_LARGE}, or empty if the part is not a number.
   */
  private static OptionalLong number(String part) {
    if (part.isEmpty()) {
      return OptionalLong.empty();
    }
    int radix = 10;
    String digits = part;
    if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() >= 2 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      // ASCII only: Character.digit also takes other scripts' digits.
      int digit = c < 0x80 ? Character.digit(c, radix) : -1;
      if (digit < 0) {
        return OptionalLong.empty();
      }
      value = Math.min(value * radix + digit, TOO_LARGE);
    }
    return OptionalLong.of(value);
  }
}
