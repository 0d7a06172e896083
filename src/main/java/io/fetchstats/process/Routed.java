package io.fetchstats.process;

import io.fetchstats.kafka.DeadLetters;

/** A record on its way through the topology: a value to process, or a dead letter. */
record Routed<T>(T value, DeadLetters.Letter deadLetter) {
  static <T> Routed<T> of(T value) {
    return new Routed<>(value, null);
  }

  static <T> Routed<T> dead(DeadLetters.Letter letter) {
    return new Routed<>(null, letter);
  }

  boolean isDead() {
    return deadLetter != null;
  }
}
