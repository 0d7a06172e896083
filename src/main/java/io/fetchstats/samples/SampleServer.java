package io.fetchstats.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP server with fixed content, for the demo, the tests and local runs: it lets the
 * pipeline run with no internet. Unknown paths get 404.
 */
public final class SampleServer implements AutoCloseable {
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

  private final HttpServer server;
  private final ExecutorService executor;

  private SampleServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves {@code resources} (path to resource) on loopback, on a free port. */
  public static SampleServer start(Map<String, Resource> resources) {
    return start(resources, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  public static SampleServer start(Map<String, Resource> resources, InetSocketAddress address) {
    Map<String, Resource> content = Map.copyOf(resources);
    try {
      HttpServer server = HttpServer.create(address, 128);
      ExecutorService executor = Executors.newFixedThreadPool(16);
      server.setExecutor(executor);
      server.createContext("/", exchange -> serve(exchange, content));
      server.start();
      return new SampleServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the sample server on " + address, e);
    }
  }

  private static void serve(HttpExchange exchange, Map<String, Resource> content)
      throws IOException {
    try (exchange) {
      Resource resource = content.get(exchange.getRequestURI().getPath());
      if (resource == null) {
        byte[] body = "not found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", resource.contentType());
      resource.headers().forEach(exchange.getResponseHeaders()::set);
      boolean empty = "HEAD".equals(exchange.getRequestMethod()) || resource.body().length == 0;
      exchange.sendResponseHeaders(resource.status(), empty ? -1 : resource.body().length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(resource.body());
        }
      }
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:40123}, without a trailing slash. */
  public String baseUrl() {
    InetSocketAddress address = server.getAddress();
    String host =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    return "http://" + host + ":" + address.getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
