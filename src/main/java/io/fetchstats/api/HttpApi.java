package io.fetchstats.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fetchstats.config.DaemonThreads;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a fetchstats process: {@code /health} and {@code /metrics} always, and the
 * jobs API when the process serves it. Every answer but the metrics is JSON; an error is {@code
 * {"error": "..."}} with a 4xx status for what the client can fix.
 */
public final class HttpApi implements TimedCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /**
   * Requests handled at once; the rest wait in the server's queue. The JDK server reads requests on
   * these threads too, so the time limits below keep slow clients from holding them.
   */
  private static final int REQUEST_THREADS = 16;

  /**
   * The JDK server's own limits, in seconds (read once, when its first server is made): to read a
   * request, body included, and from then to the end of the response, handling included. Without
   * them a client that sends or reads a byte a minute holds a thread for ever. The second is above
   * the longest handling (a submission may read the jobs topic to its end for up to 2 minutes). A
   * setting given with -D wins.
   */
  private static final Map<String, String> SERVER_LIMITS =
      Map.of("sun.net.httpserver.maxReqTime", "30", "sun.net.httpserver.maxRspTime", "300");

  private static final Map<String, String> RETRY_SOON = Map.of("Retry-After", "1");
  private static final Map<String, String> RETRY_LATER = Map.of("Retry-After", "5");

  /** How a part of the process is doing, as {@code /health} shows it. */
  public enum Health {
    UP,
    STARTING,
    DOWN;

    /** A Kafka Streams client is up when running, starting while created or rebalancing. */
    public static Health of(KafkaStreams.State state) {
      if (state == KafkaStreams.State.RUNNING) {
        return UP;
      }
      return state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED
          ? STARTING
          : DOWN;
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor requestThreads;
  private final JobsApi jobs;
  private final Duration stopTimeout;

  private HttpApi(
      HttpServer server, ThreadPoolExecutor requestThreads, JobsApi jobs, Duration stopTimeout) {
    this.server = server;
    this.requestThreads = requestThreads;
    this.jobs = jobs;
    this.stopTimeout = stopTimeout;
  }

  /**
   * Starts serving on {@code config}'s HTTP address.
   *
   * @param health each part of the process by name: the process is healthy when all are UP
   * @param jobs the jobs API, or null in a process that serves only health and metrics
   */
  public static HttpApi start(
      FetchStatsConfig config, Metrics metrics, Map<String, Supplier<Health>> health, JobsApi jobs)
      throws IOException {
    SERVER_LIMITS.forEach(
        (name, seconds) -> {
          if (System.getProperty(name) == null) {
            System.setProperty(name, seconds);
          }
        });
    HttpServer server =
        HttpServer.create(new InetSocketAddress(config.http().bind(), config.http().port()), 0);
    ThreadPoolExecutor threads =
        (ThreadPoolExecutor)
            Executors.newFixedThreadPool(REQUEST_THREADS, DaemonThreads.named("fetchstats-http-"));
    server.setExecutor(threads);
    Map<String, Supplier<Health>> parts = Map.copyOf(health);
    server.createContext(
        "/health", exchange -> handle(exchange, () -> health(new Request(exchange, 0), parts)));
    server.createContext(
        "/metrics",
        exchange ->
            handle(
                exchange,
                () -> {
                  new Request(exchange, 0).requireMethod("GET");
                  return Response.text(metrics.scrape());
                }));
    WebPage page = jobs == null ? null : WebPage.load();
    Access access = Access.of(config.http());
    if (jobs != null) {
      long maxBody = config.http().maxRequestBytes();
      server.createContext(
          "/jobs",
          exchange -> handle(exchange, () -> jobs.jobs(allowed(exchange, maxBody, access))));
      server.createContext(
          "/analyze",
          exchange -> handle(exchange, () -> jobs.analyze(allowed(exchange, maxBody, access))));
    }
    server.createContext(
        "/",
        exchange ->
            handle(
                exchange,
                () -> {
                  String path = exchange.getRequestURI().getPath();
                  if (page == null) {
                    throw new ApiException(404, "no such resource: " + path);
                  }
                  return page.serve(allowed(exchange, 0, access), path);
                }));
    server.start();
    HttpApi api = new HttpApi(server, threads, jobs, config.stopTimeout());
    log.info("HTTP server listening on http://{}", api.address());
    return api;
  }

  public String address() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** The request, once {@code access} allows it. */
  private static Request allowed(HttpExchange exchange, long maxBody, Access access) {
    Request request = new Request(exchange, maxBody);
    access.check(request);
    return request;
  }

  private static Response health(Request request, Map<String, Supplier<Health>> parts) {
    request.requireMethod("GET");
    Map<String, Object> components = new LinkedHashMap<>();
    Health overall = Health.UP;
    for (var part : new TreeMap<>(parts).entrySet()) {
      Health health = part.getValue().get();
      components.put(part.getKey(), health.name());
      if (health.compareTo(overall) > 0) {
        overall = health;
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", overall.name());
    body.put("components", components);
    return Response.json(overall == Health.UP ? 200 : 503, body);
  }

  /**
   * Answers with the handler's response, or with the error it failed with, as JSON. A context
   * matches its path and what lies below it only (the JDK server matches any prefix: /healthz).
   */
  private static void handle(HttpExchange exchange, Handler handler) {
    Response response;
    Error fatal = null;
    try {
      String context = exchange.getHttpContext().getPath();
      String path = exchange.getRequestURI().getPath();
      if (!context.equals("/") && !path.equals(context) && !path.startsWith(context + "/")) {
        throw new ApiException(404, "no such resource: " + path);
      }
      response = handler.handle();
    } catch (ApiException e) {
      response = Response.error(e.status(), e.getMessage(), e.headers());
    } catch (InvalidStateStoreException e) {
      response =
          Response.error(503, "results are not available yet: " + e.getMessage(), RETRY_SOON);
    } catch (RuntimeException e) {
      Optional<TimeoutException> timeout = KafkaClients.timeoutBehind(e);
      if (timeout.isPresent()) {
        response =
            Response.error(
                503, "Kafka did not answer in time: " + timeout.get().getMessage(), RETRY_LATER);
      } else {
        log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        response = Response.error(500, "internal error: " + e.getMessage(), Map.of());
      }
    } catch (Error e) { // answered all the same, so the client is not left waiting
      log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      response = Response.error(500, "internal error: " + e, Map.of());
      fatal = e;
    }
    // Closing the exchange reads a little of a body left unread, or drops the connection.
    try (exchange) {
      byte[] body = response.body();
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      log.debug("Could not answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
    if (fatal instanceof VirtualMachineError) {
      throw fatal;
    }
  }

  @FunctionalInterface
  interface Handler {
    Response handle();
  }

  /** Stops within the configured stop timeout: see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(stopTimeout);
  }

  /**
   * Stops taking requests, lets those in progress finish for up to a second (within {@code
   * timeout}), then stops: analyses not yet begun are cancelled (their requests get 503).
   */
  @Override
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // The JDK 17 server waits the whole delay even with no request in progress (JDK-8304065).
    boolean busy = requestThreads.getActiveCount() > 0;
    server.stop(busy && timeout.toSeconds() >= 1 ? 1 : 0);
    if (jobs != null) {
      jobs.close();
    }
    requestThreads.shutdown();
    try {
      if (!requestThreads.awaitTermination(
          Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        requestThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
