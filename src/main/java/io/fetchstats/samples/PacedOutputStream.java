package io.fetchstats.samples;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes at about {@code bytesPerSecond}, in pieces of a twentieth of a second's worth, each
 * flushed. The waits end early, with an IOException, when {@code closing} is counted down.
 */
final class PacedOutputStream extends FilterOutputStream {
  private static final int PIECES_PER_SECOND = 20;
  private static final int MAX_PIECE = 64 * 1024;

  private final long bytesPerSecond;
  private final int piece;
  private final CountDownLatch closing;
  private final long startNanos = System.nanoTime();
  private long sent;

  PacedOutputStream(OutputStream out, long bytesPerSecond, CountDownLatch closing) {
    super(out);
    this.bytesPerSecond = bytesPerSecond;
    this.piece = (int) Math.max(1, Math.min(MAX_PIECE, bytesPerSecond / PIECES_PER_SECOND));
    this.closing = closing;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    for (int done = 0; done < length; ) {
      awaitTurn();
      int count = Math.min(piece, length - done);
      out.write(bytes, offset + done, count);
      out.flush();
      sent += count;
      done += count;
    }
  }

  /** Waits until the bytes sent so far took their time at the rate. */
  private void awaitTurn() throws IOException {
    long due = startNanos + (long) (sent * 1e9 / bytesPerSecond);
    try {
      if (closing.await(due - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new IOException("the server is closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pacing");
    }
  }
}
