package io.fetchstats.samples;

import io.fetchstats.samples.Plan.Reply;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Serves the requests of one connection, one after another, delivering each as planned. */
final class Connection implements Runnable {
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final Duration LINGER = Duration.ofSeconds(1);
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final Responder responder;
  private final Counters counters;
  private final CountDownLatch closing;
  private final Clock clock;
  private final Runnable onEnd;
  private boolean requestEnded = true;

  /**
   * @param closing counted down when the server closes: it ends latency and pacing waits
   * @param onEnd run when the connection ends
   */
  Connection(
      Socket socket,
      Responder responder,
      Counters counters,
      CountDownLatch closing,
      Clock clock,
      Runnable onEnd) {
    this.socket = socket;
    this.responder = responder;
    this.counters = counters;
    this.closing = closing;
    this.clock = clock;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    try (socket) {
      socket.setTcpNoDelay(true); // responses are buffered here, then sent whole
      RequestReader reader = new RequestReader(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
      boolean open = true;
      while (open) {
        open = serveOne(reader, out);
      }
    } catch (IOException e) {
      // The client went away, or the server is closing: either way this connection is over.
    } finally {
      onEnd.run();
    }
  }

  /** Serves the next request; false when the connection is to end. */
  private boolean serveOne(RequestReader reader, OutputStream out) throws IOException {
    RequestHead request;
    try {
      request = reader.readHead();
    } catch (HttpError e) {
      // The rest of the stream cannot be trusted to start a request: answer and close.
      beginRequest();
      try {
        send(out, Reply.text(e.status(), e.getMessage()), false, true);
      } finally {
        endRequest();
      }
      closeAfterReading(reader);
      return false;
    }
    if (request == null) {
      return false;
    }
    beginRequest();
    try {
      boolean withBody = !request.method().equals("HEAD");
      if (request.headers().containsKey("transfer-encoding")) {
        // Chunked request bodies are not read; RFC 9112 lets a server ask for a length instead.
        send(out, Reply.text(411, "a request body needs a Content-Length\n"), false, withBody);
        closeAfterReading(reader);
        return false;
      }
      if (request.expectsContinue() && request.contentLength() > 0) {
        out.write(CONTINUE);
        out.flush();
      }
      reader.discard(request.contentLength());
      return deliver(responder.plan(request), request, reader, out);
    } finally {
      endRequest();
    }
  }

  private boolean deliver(Plan plan, RequestHead request, RequestReader reader, OutputStream out)
      throws IOException {
    if (plan.latencyMillis() > 0 && awaitClosing(plan.latencyMillis())) {
      return false;
    }
    Reply reply = plan.reply();
    boolean withBody = reply.hasBody() && !request.method().equals("HEAD");
    boolean keepAlive = request.keepAlive();
    switch (plan.delivery()) {
      case NORMAL -> send(out, reply, keepAlive, withBody);
      case SLOW -> {
        writeHead(out, reply, keepAlive);
        out.flush();
        OutputStream paced = new PacedOutputStream(out, plan.bytesPerSecond(), closing);
        writeBody(out, paced, withBody ? reply.body().length() : 0, reply.body());
      }
      case TRUNCATE, RESET_BODY -> {
        // The head promises the whole body, as usual; then half of it comes.
        writeHead(out, reply, keepAlive);
        if (withBody) {
          reply.body().write(out, 0, reply.body().length() / 2);
        }
        out.flush();
        endRequest();
        if (plan.delivery() == Plan.Delivery.RESET_BODY) {
          reset();
        } else {
          socket.shutdownOutput();
        }
        return false;
      }
      case RESET -> {
        endRequest();
        reset();
        return false;
      }
      case HANG -> {
        reader.drain();
        return false;
      }
    }
    return keepAlive;
  }

  private void send(OutputStream out, Reply reply, boolean keepAlive, boolean withBody)
      throws IOException {
    writeHead(out, reply, keepAlive);
    writeBody(out, out, withBody && reply.hasBody() ? reply.body().length() : 0, reply.body());
  }

  /**
   * Writes {@code length} bytes of {@code body} to {@code to}, which writes to {@code out}. The
   * last byte goes after the request is counted as ended, so a client that has its whole response
   * finds it counted, and a client that sends one request at a time never sees two in flight.
   */
  private void writeBody(OutputStream out, OutputStream to, long length, Body body)
      throws IOException {
    if (length > 0) {
      body.write(to, 0, length - 1);
    }
    endRequest();
    if (length > 0) {
      body.write(to, length - 1, length);
    }
    out.flush();
  }

  private void writeHead(OutputStream out, Reply reply, boolean keepAlive) throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append("HTTP/1.1 ").append(reply.status()).append(' ');
    head.append(Reply.reason(reply.status())).append("\r\n");
    head.append("Date: ").append(Responder.httpDate(clock.instant())).append("\r\n");
    reply
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (reply.hasBody()) {
      head.append("Content-Length: ").append(reply.body().length()).append("\r\n");
    }
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Ends the response, then reads what the client still sends (for a second at most between reads)
   * until it closes: closing with unread bytes would send a reset, which can destroy the answer
   * before the client reads it.
   */
  private void closeAfterReading(RequestReader reader) throws IOException {
    socket.shutdownOutput();
    socket.setSoTimeout((int) LINGER.toMillis());
    reader.drain();
  }

  /** Closes with a TCP reset: no linger, so unsent bytes are dropped and RST is sent. */
  private void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Waits {@code millis}; true if the server began closing first. */
  private boolean awaitClosing(long millis) {
    try {
      return closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void beginRequest() {
    requestEnded = false;
    counters.begin();
  }

  /** Counts the current request as ended, once. */
  private void endRequest() {
    if (!requestEnded) {
      requestEnded = true;
      counters.end();
    }
  }
}
