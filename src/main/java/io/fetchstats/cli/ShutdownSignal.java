package io.fetchstats.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Blocks a long-running command until the JVM is asked to stop (Ctrl-C, SIGTERM), and keeps the
 * JVM alive until the command has closed what it started.
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
                closed.await();
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
