package io.fetchstats.samples;

import io.fetchstats.samples.Injection.Fault;
import io.fetchstats.samples.Plan.Delivery;
import io.fetchstats.samples.Plan.Reply;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides the answer to each request: the content (a static resource, generated data or 404), and
 * what the query asks to inject instead (see {@link SampleServer}).
 */
final class Responder {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final String GENERATED = "/gen/";

  private final Map<String, SampleServer.Resource> resources;
  private final Clock clock;
  private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
  private final RecentCache<GeneratedKey, GeneratedBody> generated = new RecentCache<>(32);
  private final RecentCache<String, Body> encoded = new RecentCache<>(16);

  private record GeneratedKey(GeneratedBody.Kind kind, long seed) {}

  Responder(Map<String, SampleServer.Resource> resources, Clock clock) {
    this.resources = Map.copyOf(resources);
    this.clock = clock;
  }

  /** An IMF-fixdate, as in Date and Retry-After headers. */
  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  Plan plan(RequestHead request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return Plan.of(Reply.text(405, "method not allowed\n").withHeader("Allow", "GET, HEAD"));
    }
    try {
      return plan(Target.parse(request.target()));
    } catch (HttpError e) {
      return Plan.of(Reply.text(e.status(), e.getMessage()));
    }
  }

  /** Forgets how often each target was asked for, so {@code failures=K} counts from 0 again. */
  void resetAttempts() {
    attempts.clear();
  }

  private Plan plan(Target target) throws HttpError {
    Injection injection = Injection.parse(target);
    boolean inject =
        injection.failures().isEmpty()
            || attempts.computeIfAbsent(target.raw(), raw -> new AtomicLong()).incrementAndGet()
                <= injection.failures().getAsLong();
    long latency = inject ? injection.latencyMillis() : 0;
    if (injection.redirects() > 0) {
      // Every hop is a clean redirect; the faults are for the target at the end of the chain.
      Reply hop = redirect(target.withRedirects(injection.redirects() - 1));
      return new Plan(hop, latency, Delivery.NORMAL, 0);
    }
    Fault fault = inject ? injection.fault() : Fault.NONE;
    Reply reply;
    if (fault == Fault.REDIRECT_LOOP) {
      reply = redirect(target.raw());
    } else if (inject && injection.status().isPresent()) {
      reply = status(injection);
    } else {
      reply =
          switch (fault) {
            case GZIP_BOMB ->
                gzip(
                    encoded.get(
                        "bomb " + injection.inflated(),
                        key -> Compression.gzipBomb(injection.inflated())));
            case BAD_GZIP -> gzip(Compression.badGzip());
            default -> content(target, injection.encoding());
          };
    }
    return new Plan(reply, latency, fault.delivery(), injection.bytesPerSecond());
  }

  private Reply content(Target target, Optional<Encoding> encoding) throws HttpError {
    String key;
    Reply reply;
    SampleServer.Resource resource = resources.get(target.path());
    Optional<GeneratedBody.Kind> kind =
        target.path().startsWith(GENERATED)
            ? GeneratedBody.Kind.fromPathName(target.path().substring(GENERATED.length()))
            : Optional.empty();
    if (resource != null) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", resource.contentType());
      headers.putAll(resource.headers());
      key = "resource " + target.path();
      reply = new Reply(resource.status(), headers, Body.of(resource.body()));
    } else if (kind.isPresent()) {
      long bytes = target.number("bytes", 1024, 0, Long.MAX_VALUE);
      long seed = target.number("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
      GeneratedBody data =
          generated.get(
              new GeneratedKey(kind.get(), seed), k -> GeneratedBody.of(k.kind(), k.seed()));
      key = "generated " + kind.get().pathName() + " " + seed + " " + bytes;
      reply =
          new Reply(200, Reply.headers("Content-Type", kind.get().contentType()), data.body(bytes));
    } else {
      key = "missing";
      reply = Reply.text(404, "not found\n");
    }
    if (encoding.isEmpty()) {
      return reply;
    }
    Body plain = reply.body();
    Encoding how = encoding.get();
    Body body = encoded.get(how.token() + " " + key, k -> Compression.compress(plain, how));
    return new Reply(reply.status(), reply.headers(), body)
        .withHeader("Content-Encoding", how.token());
  }

  private Reply status(Injection injection) {
    int status = injection.status().getAsInt();
    Reply reply = Reply.text(status, (status + " " + Reply.reason(status)).strip() + "\n");
    if (injection.retryAfter().isPresent()) {
      return reply.withHeader("Retry-After", Long.toString(injection.retryAfter().getAsLong()));
    }
    if (injection.retryAfterDate().isPresent()) {
      // Rounded up to the second, so the client waits at least the seconds asked for.
      Instant at = clock.instant().plusSeconds(injection.retryAfterDate().getAsLong());
      Instant second = at.truncatedTo(ChronoUnit.SECONDS);
      return reply.withHeader(
          "Retry-After", httpDate(second.equals(at) ? second : second.plusSeconds(1)));
    }
    return reply;
  }

  private static Reply gzip(Body body) {
    return new Reply(
        200, Reply.headers("Content-Type", "text/plain", "Content-Encoding", "gzip"), body);
  }

  private static Reply redirect(String location) {
    return new Reply(
        302,
        Reply.headers("Content-Type", "text/plain", "Location", location),
        Body.of(new byte[0]));
  }
}
