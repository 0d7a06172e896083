package io.fetchstats.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls for a condition until a deadline: for what tells only when asked (a log, a topic). */
final class Waits {
  private static final Duration POLL = Duration.ofMillis(100);

  private Waits() {}

  /**
   * Asks {@code check} until it gives a value, every 100 ms.
   *
   * @throws IllegalStateException naming {@code what} if none came within {@code timeout}
   */
  static <T> T until(String what, Duration timeout, Supplier<Optional<T>> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = check.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(what + ": not within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(POLL.toMillis()); // nothing to be woken by: the answer is only asked for
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting: " + what, e);
      }
    }
  }
}
