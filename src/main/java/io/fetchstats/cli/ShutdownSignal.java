package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Blocks a long-running command until it is asked to stop, and bounds the stop. The first SIGINT
 * (Ctrl-C) or SIGTERM asks for a stop without starting the JVM's shutdown: the command closes what
 * it started within the stop timeout and returns 128 + the signal's number (130, 143). A second
 * signal exits at once, and so does a stop that overruns the stop timeout by {@link #HALT_GRACE}.
 * Any other way the JVM is asked to exit (SIGHUP, say) asks for a stop too, and the JVM waits for
 * it.
 */
final class ShutdownSignal implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  /** Beyond the stop timeout: for the broker's shutdown, which takes no deadline, and the exit. */
  static final Duration HALT_GRACE = Duration.ofSeconds(5);

  private final Duration stopTimeout;
  private final PrintWriter err;
  private final IntConsumer halt;

  /** Completed with the exit code when a stop is asked for. */
  private final CompletableFuture<Integer> stop = new CompletableFuture<>();

  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();
  private final Thread hook;
  private long stopAskedAt; // System.nanoTime(); guarded by this

  ShutdownSignal(Duration stopTimeout, PrintWriter err, IntConsumer halt) {
    this.stopTimeout = stopTimeout;
    this.err = err;
    this.halt = halt;
    this.hook = new Thread(this::stopBeforeExit, "fetchstats-shutdown");
  }

  /** Handles SIGINT and SIGTERM, and the JVM's shutdown, until closed. */
  static ShutdownSignal install(Duration stopTimeout, PrintWriter err) {
    ShutdownSignal signal = new ShutdownSignal(stopTimeout, err, Runtime.getRuntime()::halt);
    SIGNALS.forEach(signal::handle);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  private void handle(String name) {
    Signal signal = new Signal(name);
    try {
      SignalHandler previous = Signal.handle(signal, s -> signalled(s.getName(), s.getNumber()));
      // An ignored signal stays ignored (nothing was installed): a shell without job control
      // starts background processes so, and nohup does, so that Ctrl-C does not reach them.
      if (previous != SignalHandler.SIG_IGN) {
        replaced.put(signal, previous);
      }
    } catch (IllegalArgumentException e) {
      // The JVM keeps the signal (-Xrs): its shutdown hook asks for the stop instead.
    }
  }

  /** What a handled signal does: the first asks for a stop, the next exits at once. */
  void signalled(String name, int number) {
    int exitCode = 128 + number;
    String again = name.equals("INT") ? "Ctrl-C again" : "a second signal";
    if (askStop(exitCode, " on SIG" + name + " (" + again + " to exit at once)")) {
      Thread watchdog = new Thread(() -> haltUnlessClosed(exitCode), "fetchstats-stop-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    } else {
      err.printf("fetchstats: SIG%s again: exiting at once%n", name);
      err.flush();
      halt.accept(exitCode);
    }
  }

  /** Asks for a stop unless one was asked for already; returns whether this one was the first. */
  private synchronized boolean askStop(int exitCode, String how) {
    if (stop.isDone()) {
      return false;
    }
    stopAskedAt = System.nanoTime();
    err.println("fetchstats: stopping" + how);
    err.flush();
    stop.complete(exitCode);
    return true;
  }

  /**
   * The shutdown hook: asks for a stop and waits for the command to close what it started, within
   * the same bound as after a signal (the JVM then exits with the status it was asked to).
   */
  private void stopBeforeExit() {
    askStop(Main.OK, "");
    try {
      closed.await(stopTimeout.plus(HALT_GRACE).toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void haltUnlessClosed(int exitCode) {
    Duration bound = stopTimeout.plus(HALT_GRACE);
    try {
      if (!closed.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        err.printf(
            Locale.ROOT, "fetchstats: not stopped within %s: exiting at once%n", seconds(bound));
        err.flush();
        halt.accept(exitCode);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a stop; returns the exit code. */
  int await() throws InterruptedException {
    try {
      return stop.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a stop never fails", e);
    }
  }

  /**
   * Waits for a stop, or for a stage of {@code pipeline} to stop on its own; returns the exit code,
   * so that a supervisor (systemd, Docker, Kubernetes) restarts a broken instance.
   */
  int await(Pipeline pipeline, PrintWriter err) throws InterruptedException {
    while (true) {
      try {
        return stop.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        List<Pipeline.Stage> stopped = pipeline.stoppedStages();
        if (!stopped.isEmpty()) {
          err.println(
              "fetchstats: stage " + stopped + " stopped after an error (see the log); exiting");
          err.flush();
          return Main.FAILED;
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("a stop never fails", e);
      }
    }
  }

  /**
   * Runs {@code work} on a daemon thread until it returns or a stop is asked for; returns what it
   * returned, or the stop's exit code. Work a stop cuts short is left to end with the JVM (were it
   * interrupted, the Kafka clients it uses would log their close as an error).
   */
  int run(String name, Callable<Integer> work) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                done.complete(work.call());
              } catch (Throwable e) { // an Error too: the command must not wait forever
                done.completeExceptionally(e);
              }
            },
            name);
    worker.setDaemon(true);
    worker.start();
    CompletableFuture.anyOf(done, stop).handle((result, error) -> null).join();
    if (!done.isDone()) {
      return stop.join();
    }
    try {
      return done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  /** Gives the signals back, and says how long the stop took if one was asked for. */
  @Override
  public void close() {
    replaced.forEach(Signal::handle);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running, and returns once this is closed.
    }
    synchronized (this) {
      if (stop.isDone()) {
        err.printf(
            Locale.ROOT,
            "fetchstats: stopped in %s%n",
            seconds(Duration.ofNanos(System.nanoTime() - stopAskedAt)));
        err.flush();
      }
    }
    closed.countDown();
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
