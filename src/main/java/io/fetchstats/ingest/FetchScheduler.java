package io.fetchstats.ingest;

import io.fetchstats.config.DaemonThreads;
import io.fetchstats.parse.Format;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;

/**
 * Runs fetches on a pool of {@code maxInFlight} threads, at most {@code maxPerHost} of them to one
 * host, and tries transient failures again as the {@link RetryPolicy} says. Waiting for a busy host
 * or for a retry holds no thread, so the pool size is the global limit of requests in flight; hosts
 * take turns, so one slow host does not hold back the others.
 */
final class FetchScheduler implements AutoCloseable {
  private final Fetcher fetcher;
  private final RetryPolicy retries;
  private final int maxInFlight;
  private final int maxPerHost;
  private final ExecutorService pool;
  private final ScheduledThreadPoolExecutor timer;

  // Guarded by this.
  private final Map<String, Host> hosts = new HashMap<>();
  private final ArrayDeque<Host> ready = new ArrayDeque<>();
  private final Set<Task> waitingToRetry = new HashSet<>();
  private int inFlight;
  private boolean stopped;

  /** Set before the fetcher cancels: what a fetch returns after it is not its URL's result. */
  private volatile boolean cancelled;

  FetchScheduler(Fetcher fetcher, RetryPolicy retries, int maxInFlight, int maxPerHost) {
    this.fetcher = fetcher;
    this.retries = retries;
    this.maxInFlight = maxInFlight;
    this.maxPerHost = maxPerHost;
    this.pool = Executors.newFixedThreadPool(maxInFlight, DaemonThreads.named("fetchstats-fetch-"));
    this.timer = timer("fetchstats-retry-");
  }

  /**
   * Fetches {@code url} into {@code sink} when its host has room; the result is the last attempt's,
   * with the number of attempts. A failure of the sink completes the future exceptionally, and so
   * does {@link #stop} for a URL not yet fetched to its end.
   */
  CompletableFuture<FetchResult> fetch(String url, Chunker.Sink sink) {
    return fetch(url, null, sink);
  }

  /** As {@link #fetch(String, Chunker.Sink)}, its body cut as {@code format} (null: as told). */
  CompletableFuture<FetchResult> fetch(String url, Format format, Chunker.Sink sink) {
    return fetch(url, hostOf(HttpUrl.parse(url.strip())), format, () -> true, sink);
  }

  /**
   * As {@link #fetch(String, Chunker.Sink)}, for a URL whose host key is known already, and with
   * the format to cut its body in, or null to tell it from the response. Before each attempt {@code
   * wanted} is asked whether the URL is still to be fetched: when it says no (its job was cancelled
   * while the URL waited for its host or a retry), the result is {@link FetchResult#cancelled} and
   * nothing is requested.
   */
  CompletableFuture<FetchResult> fetch(
      String url, String host, Format format, BooleanSupplier wanted, Chunker.Sink sink) {
    Task task = new Task(url, host, format, wanted, sink);
    enqueue(task);
    return task.result;
  }

  /** The key of a parsed URL's host for the per-host limit: URLs that do not parse share one. */
  static String hostOf(HttpUrl parsed) {
    return parsed == null ? "" : parsed.host();
  }

  private void enqueue(Task task) {
    synchronized (this) {
      if (!stopped) {
        Host host = hosts.computeIfAbsent(task.host, name -> new Host());
        host.waiting.add(task);
        markReady(host);
        dispatch();
        return;
      }
    }
    // Outside the lock: a future's callbacks run here, and must not run holding it.
    task.result.completeExceptionally(new CancellationException("fetching stopped"));
  }

  private void markReady(Host host) {
    if (!host.ready && host.running < maxPerHost && !host.waiting.isEmpty()) {
      host.ready = true;
      ready.add(host);
    }
  }

  private void dispatch() {
    while (inFlight < maxInFlight && !ready.isEmpty()) {
      Host host = ready.poll();
      host.ready = false;
      Task task = host.waiting.poll();
      host.running++;
      inFlight++;
      markReady(host); // to the back of the line: hosts take turns
      pool.execute(task::attempt);
    }
  }

  private synchronized void finished(Task task) {
    Host host = hosts.get(task.host);
    host.running--;
    inFlight--;
    if (host.running == 0 && host.waiting.isEmpty()) {
      hosts.remove(task.host);
    } else {
      markReady(host);
    }
    dispatch();
  }

  private void retryLater(Task task, long waitNanos) {
    synchronized (this) {
      if (!stopped) {
        waitingToRetry.add(task);
        task.timer = timer.schedule(() -> retryNow(task), waitNanos, TimeUnit.NANOSECONDS);
        return;
      }
    }
    task.result.completeExceptionally(new CancellationException("fetching stopped"));
  }

  private void retryNow(Task task) {
    boolean due;
    synchronized (this) {
      due = waitingToRetry.remove(task);
    }
    if (due) {
      enqueue(task);
    }
  }

  /** URLs in flight or waiting for their host, per host. */
  synchronized Map<String, Integer> load() {
    Map<String, Integer> load = new HashMap<>();
    hosts.forEach((name, host) -> load.put(name, host.running + host.waiting.size()));
    return load;
  }

  /** URLs waiting for a slot, per host that has any (a retry's wait not included). */
  synchronized Map<String, Integer> queued() {
    Map<String, Integer> queued = new HashMap<>();
    hosts.forEach(
        (name, host) -> {
          if (!host.waiting.isEmpty()) {
            queued.put(name, host.waiting.size());
          }
        });
    return queued;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  /** URLs waiting to be tried again. */
  synchronized int waitingToRetry() {
    return waitingToRetry.size();
  }

  /**
   * Ends the waits: URLs waiting for their host or a retry complete exceptionally at once; fetches
   * in flight go on to their end. Used when the stage stops (their transaction is aborted).
   */
  void stop() {
    Set<Task> cancelled = new HashSet<>();
    synchronized (this) {
      stopped = true;
      hosts.values().forEach(host -> cancelled.addAll(host.waiting));
      hosts.values().forEach(host -> host.waiting.clear());
      ready.clear();
      cancelled.addAll(waitingToRetry);
      waitingToRetry.forEach(task -> task.timer.cancel(false));
      waitingToRetry.clear();
    }
    cancelled.forEach(
        task -> task.result.completeExceptionally(new CancellationException("fetching stopped")));
  }

  /**
   * Ends every fetch at once: those waiting as {@link #stop} does, those in flight cancelled by the
   * fetcher. Their futures complete exceptionally, since what a cancelled fetch returns is no
   * outcome of its URL. Used when the stage must stop within a deadline (their transaction is
   * aborted).
   */
  void cancel() {
    cancelled = true;
    stop();
    fetcher.cancelAll();
  }

  @Override
  public void close() {
    stop();
    timer.shutdownNow();
    pool.shutdownNow();
    fetcher.close();
  }

  /**
   * A timer thread whose cancelled tasks leave its queue at once: a watchdog or retry is mostly
   * cancelled, and would otherwise hold its fetch's objects until it was due.
   */
  static ScheduledThreadPoolExecutor timer(String prefix) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named(prefix));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static final class Host {
    final ArrayDeque<Task> waiting = new ArrayDeque<>();
    int running;
    boolean ready;
  }

  /** One URL through all its attempts. */
  private final class Task {
    final String url;
    final String host;
    final Format format;
    final BooleanSupplier wanted;
    final Chunker.Sink sink;
    final CompletableFuture<FetchResult> result = new CompletableFuture<>();
    long start; // of the first attempt: waiting for the limits is not the URL's latency
    int attempts;
    ScheduledFuture<?> timer;

    Task(String url, String host, Format format, BooleanSupplier wanted, Chunker.Sink sink) {
      this.url = url;
      this.host = host;
      this.format = format;
      this.wanted = wanted;
      this.sink = sink;
    }

    void attempt() {
      try {
        if (!wanted.getAsBoolean()) {
          finished(this);
          result.complete(FetchResult.cancelled(format));
          return;
        }
        if (attempts++ == 0) {
          start = System.nanoTime();
        }
        FetchResult last;
        try {
          last = fetcher.fetch(url, format, sink);
        } finally {
          finished(this); // whatever happened, the slot is free again
        }
        if (cancelled) {
          result.completeExceptionally(new CancellationException("fetch cancelled"));
          return;
        }
        var wait = retries.waitBefore(attempts + 1, last, ThreadLocalRandom.current()::nextDouble);
        if (wait.isPresent()) {
          retryLater(this, wait.get().toNanos());
        } else {
          long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          result.complete(
              last.afterAttempts(attempts, latencyMs, retries.whyFinal(attempts, last)));
        }
      } catch (Throwable e) { // an Error too: whoever waits on this must not wait forever
        result.completeExceptionally(e);
        if (e instanceof Error error) {
          throw error;
        }
      }
    }
  }
}
