package io.fetchstats.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1m30s})
 * or in ISO-8601 ({@code PT5S}), for every option, environment variable and config key that takes
 * one.
 */
final class Durations implements ITypeConverter<Duration> {
  static final String FORMS = "500ms, 5s, 2m, 1h, 1m30s or ISO-8601 such as PT5S";

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    if (value.startsWith("p") || value.startsWith("-p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    if (!WHOLE.matcher(value).matches()) {
      throw invalid(text);
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  default -> Duration.ofDays(amount);
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid(text);
    }
    return total;
  }

  /** A duration as people write it: "10m", "1m30s", "500ms", "0s". */
  static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
    Duration left = duration.abs();
    long[] amounts = {
      left.toDays(),
      left.toHoursPart(),
      left.toMinutesPart(),
      left.toSecondsPart(),
      left.toMillisPart()
    };
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (amounts[i] != 0) {
        text.append(amounts[i]).append(units[i]);
      }
    }
    return text.length() == 0 || text.toString().equals("-")
        ? duration.toString()
        : text.toString();
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException("'" + text + "' is not a duration: use " + FORMS);
  }
}
