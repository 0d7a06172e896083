package io.fetchstats.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The requests the ingest loop started and has not yet seen done, for its limits (in all and per
 * host), and how their fetches end: the fetch threads tell when an outcome is sent ({@link
 * #outcomeSent}), the loop takes those in ({@link #takeDone}); a fetch that ends without its
 * outcome is kept as lost, since its request must be fetched again. Counts are the loop thread's.
 */
final class OpenRequests {
  /** A request whose outcome is sent, and whether it was fetched. */
  private record Done(UrlBacklog.Fetch fetch, boolean ok) {}

  private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();

  /** The fetches started and not ended, each once it has told how it ended. */
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

  private final AtomicReference<Throwable> lost = new AtomicReference<>();
  private final Map<String, Integer> perHost = new HashMap<>();
  private final int maxPerHost;
  private int open;
  private long urlsDone;
  private long urlsFailed;

  OpenRequests(int maxPerHost) {
    this.maxPerHost = maxPerHost;
  }

  /** Requests started and not yet taken in as done. */
  int size() {
    return open;
  }

  boolean hostHasRoom(String host) {
    return perHost.getOrDefault(host, 0) < maxPerHost;
  }

  /** {@code fetch} is started; {@code result} tells how its fetch ends. */
  void started(UrlBacklog.Fetch fetch, CompletableFuture<FetchResult> result) {
    open++;
    perHost.merge(fetch.host(), 1, Integer::sum);
    CompletableFuture<Void> ended =
        result.handle(
            (fetched, error) -> {
              if (error != null) {
                lost.compareAndSet(null, error);
              }
              return null;
            });
    inFlight.add(ended);
    ended.whenComplete((ignored, error) -> inFlight.remove(ended));
  }

  /** Called by a fetch thread once the outcome of {@code fetch} is sent. */
  void outcomeSent(UrlBacklog.Fetch fetch, boolean ok) {
    done.add(new Done(fetch, ok));
  }

  /** Waits up to {@code wait} for an outcome to be sent; then takes in every one sent. */
  void takeDone(Duration wait, Consumer<UrlBacklog.Fetch> each) throws InterruptedException {
    Done first = done.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (first != null) {
      takeIn(first, each);
      takeDone(each);
    }
  }

  /** Takes in every request whose outcome is sent. */
  void takeDone(Consumer<UrlBacklog.Fetch> each) {
    for (Done next; (next = done.poll()) != null; ) {
      takeIn(next, each);
    }
  }

  private void takeIn(Done next, Consumer<UrlBacklog.Fetch> each) {
    open--;
    perHost.compute(next.fetch().host(), (host, count) -> count == 1 ? null : count - 1);
    urlsDone++;
    urlsFailed += next.ok() ? 0 : 1;
    each.accept(next.fetch());
  }

  /** Why the first fetch that ended without its outcome did, or null. */
  Throwable lost() {
    return lost.get();
  }

  /** Fetches in flight. */
  int inFlight() {
    return inFlight.size();
  }

  /**
   * Requests started whose fetch ended without sending its outcome (a stop's cancel cuts them
   * short); exact once {@link #allEnded} has completed.
   */
  int withoutOutcome() {
    return open - done.size();
  }

  /** Completes once every fetch in flight has ended, however. */
  CompletableFuture<Void> allEnded() {
    return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
  }

  /** After an abort, once every fetch has ended: nothing is open. */
  void clear() {
    done.clear();
    perHost.clear();
    open = 0;
    lost.set(null);
  }

  long urlsDone() {
    return urlsDone;
  }

  long urlsFailed() {
    return urlsFailed;
  }
}
