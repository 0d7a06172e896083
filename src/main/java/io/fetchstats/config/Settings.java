package io.fetchstats.config;

import java.time.Duration;

/** The checks the settings records share: a bad value is refused with a message for a person. */
final class Settings {
  private Settings() {}

  static boolean positive(Duration duration) {
    return duration != null && !duration.isNegative() && !duration.isZero();
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
