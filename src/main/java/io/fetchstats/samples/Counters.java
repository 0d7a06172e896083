package io.fetchstats.samples;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Requests handled, and how many at once: from a request's head read to its response's end. */
final class Counters {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  void begin() {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
  }

  void end() {
    inFlight.decrementAndGet();
    requests.incrementAndGet();
  }

  long requests() {
    return requests.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  /** Starts counting again; the high-water mark starts from the requests in flight now. */
  void reset() {
    requests.set(0);
    maxInFlight.set(inFlight.get());
  }
}
