package io.fetchstats.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a long-running command until the JVM is asked to stop (Ctrl-C, SIGTERM), and keeps the JVM
 * alive until the command has closed what it started.
 */
final class ShutdownSignal implements AutoCloseable {
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  ShutdownSignal() {
    hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                // Long enough for the stages to close (ingest finishes its batch within 40 s).
                closed.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fetchstats-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  void await() throws InterruptedException {
    stopRequested.await();
  }

  /**
   * Waits for a stop request, or for a stage of {@code pipeline} to stop on its own; returns the
   * exit code, so that a supervisor (systemd, Docker, Kubernetes) restarts a broken instance.
   */
  int await(Pipeline pipeline, PrintWriter err) throws InterruptedException {
    while (!stopRequested.await(1, TimeUnit.SECONDS)) {
      List<Pipeline.Stage> stopped = pipeline.stoppedStages();
      if (!stopped.isEmpty()) {
        err.println(
            "fetchstats: stage " + stopped + " stopped after an error (see the log); exiting");
        err.flush();
        return Main.FAILED;
      }
    }
    return Main.OK;
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running and now returns.
    }
  }
}
