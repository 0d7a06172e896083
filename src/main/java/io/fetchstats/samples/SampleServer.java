package io.fetchstats.samples;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on loopback for the demo, the tests and benchmarks: it lets the pipeline run
 * with no internet, and it misbehaves on request. GET and HEAD only; keep-alive.
 *
 * <p>It serves the static resources it is given (other paths get 404) and generated data at {@code
 * /gen/{text|csv|tsv|json|ndjson}?bytes=N&seed=S} (see {@link GeneratedBody}). On any path these
 * query parameters inject trouble:
 *
 * <ul>
 *   <li>{@code latency=MS}: the response head comes MS milliseconds after the request.
 *   <li>{@code status=CODE}: that status and a short text instead of the content; with {@code
 *       retryAfter=SECONDS} or {@code retryAfterDate=SECONDS} (an HTTP-date that many seconds
 *       ahead, rounded up), a Retry-After header.
 *   <li>{@code fault=reset}: a TCP reset after the request is read, before any response byte.
 *   <li>{@code fault=reset-body}: the head (with the whole body's Content-Length), half the body,
 *       then a reset. The client gets all of the half only if it fits in the socket buffers: the
 *       reset drops what the kernel has not sent yet.
 *   <li>{@code fault=truncate}: the head (likewise), half the body, then a normal close.
 *   <li>{@code fault=hang}: no answer until the client or the server closes the connection.
 *   <li>{@code fault=slow&rate=BYTES_PER_SEC}: the body at about that rate (default 1024).
 *   <li>{@code fault=gzip-bomb&inflated=N}: gzip of N bytes (default 256 MiB) of zeros, spaces and
 *       newlines, about a thousandth of the size.
 *   <li>{@code fault=bad-gzip}: {@code Content-Encoding: gzip} with a body that is not gzip.
 *   <li>{@code fault=redirect-loop}: a 302 to the same target.
 *   <li>{@code redirects=N}: a 302 to the same target with N-1 (the parameter dropped at 0).
 *   <li>{@code encoding=gzip|deflate}: the content with that Content-Encoding.
 *   <li>{@code failures=K}: latency, status and fault apply only to the first K requests for this
 *       exact target (path and query); later ones get the content. {@link #resetCounters} starts
 *       the count again.
 * </ul>
 *
 * <p>Redirect hops are always clean (latency aside): faults apply at the end of the chain. A
 * redirect loop wins over a status, which wins over the gzip faults; reset, truncate, hang and slow
 * deliver whatever the answer is. Bad parameter values get 400.
 */
public final class SampleServer implements AutoCloseable {
  private static final int BACKLOG = 1024;
  private static final Duration ACCEPT_RETRY = Duration.ofMillis(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** A response: status, content type, body and extra headers. */
  public record Resource(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Resource(String contentType, byte[] body) {
      this(200, contentType, body, Map.of());
    }

    /** A 302 to {@code location}. */
    public static Resource redirect(String location) {
      return new Resource(302, "text/plain", new byte[0], Map.of("Location", location));
    }
  }

  private final ServerSocket listener;
  private final Responder responder;
  private final Clock clock;
  private final Counters counters = new Counters();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool(this::newThread);
  private final Thread acceptor = new Thread(this::acceptConnections, "fetchstats-samples-accept");

  private SampleServer(ServerSocket listener, Responder responder, Clock clock) {
    this.listener = listener;
    this.responder = responder;
    this.clock = clock;
  }

  /** Serves {@code resources} (path to resource) on loopback, on a free port. */
  public static SampleServer start(Map<String, Resource> resources) {
    return start(resources, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  public static SampleServer start(Map<String, Resource> resources, InetSocketAddress address) {
    Clock clock = Clock.systemUTC();
    ServerSocket listener = null;
    try {
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(address, BACKLOG);
    } catch (IOException e) {
      closeQuietly(listener);
      throw new UncheckedIOException("cannot start the sample server on " + address, e);
    }
    SampleServer server = new SampleServer(listener, new Responder(resources, clock), clock);
    server.acceptor.setDaemon(true);
    server.acceptor.start();
    return server;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:40123}, without a trailing slash. */
  public String baseUrl() {
    InetAddress address = listener.getInetAddress();
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
    return "http://" + host + ":" + listener.getLocalPort();
  }

  /**
   * Requests handled so far: answered, faulted, or cut off by either side. A request counts once
   * its response is complete but for the last byte, so a client that has a whole response finds it
   * counted; a hanging request counts when its connection closes.
   */
  public long requests() {
    return counters.requests();
  }

  /**
   * The most requests handled at once, each from its head read until its response is complete but
   * for the last byte, or its fault is done (a hang lasts until its connection closes).
   */
  public int maxConcurrentRequests() {
    return counters.maxInFlight();
  }

  /**
   * Sets {@link #requests} to 0, {@link #maxConcurrentRequests} to the requests in flight now, and
   * the counts behind {@code failures=K} to 0.
   */
  public void resetCounters() {
    counters.reset();
    responder.resetAttempts();
  }

  /**
   * Closes the listener and every connection, ending hanging requests and waits at once, then waits
   * (a few seconds at most) for the server's threads to finish.
   */
  @Override
  public void close() {
    closing.countDown();
    closeQuietly(listener);
    connections.forEach(SampleServer::closeQuietly);
    pool.shutdownNow();
    try {
      acceptor.join(CLOSE_TIMEOUT.toMillis());
      pool.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptConnections() {
    while (true) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        // Closed, or failing for now (out of file descriptors, say): stop or try again soon.
        if (listener.isClosed() || awaitClosing(ACCEPT_RETRY)) {
          return;
        }
        continue;
      }
      connections.add(socket);
      try {
        pool.execute(
            new Connection(
                socket, responder, counters, closing, clock, () -> connections.remove(socket)));
      } catch (RejectedExecutionException e) {
        connections.remove(socket); // the server is closing
        closeQuietly(socket);
      }
      if (closing.getCount() == 0) {
        closeQuietly(socket); // close() may have gone through the connections before the add
      }
    }
  }

  private boolean awaitClosing(Duration timeout) {
    try {
      return closing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Thread newThread(Runnable task) {
    Thread thread = new Thread(task, "fetchstats-samples-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException e) {
      // Closing is all that is left to do; a failure to close changes nothing.
    }
  }
}
