package io.fetchstats.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page of {@code serve} and {@code run}: plain HTML, CSS and JavaScript from the jar's
 * {@code web/} resources (no build step, nothing fetched from elsewhere: it works offline), read
 * once at start. The page reads the jobs API from the same origin.
 */
final class WebPage {
  /** Same origin only: the page loads nothing from elsewhere, and no inline script runs. */
  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
              + " frame-ancestors 'none'; form-action 'self'",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "no-referrer",
          // Small files, changed by an upgrade: checked each time, sent again only when changed.
          "Cache-Control",
          "no-cache");

  private final Map<String, Response> files;

  private WebPage(Map<String, Response> files) {
    this.files = files;
  }

  static WebPage load() {
    Response index = file("index.html", "text/html; charset=utf-8");
    return new WebPage(
        Map.of(
            "/",
            index,
            "/index.html",
            index,
            "/app.js",
            file("app.js", "text/javascript; charset=utf-8"),
            "/app.css",
            file("app.css", "text/css; charset=utf-8")));
  }

  private static Response file(String name, String contentType) {
    try (InputStream in = WebPage.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks web/" + name);
      }
      return new Response(200, contentType, in.readAllBytes(), HEADERS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web/" + name, e);
    }
  }

  /** {@code GET /} and the page's files; 404 for any other path. */
  Response serve(Request request, String path) {
    Response file = files.get(path);
    if (file == null) {
      throw new ApiException(404, "no such resource: " + path);
    }
    request.requireMethod("GET");
    return file;
  }
}
