package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One attempt at a URL over http or https with OkHttp (HTTP/1.1, and HTTP/2 where TLS offers it),
 * guarded by the {@link AddressPolicy}: redirects followed here, so that the limit and loops are
 * ours to report; gzip and deflate decoded here, so that an inflating body is bounded by size and
 * ratio; the body hashed and chunked as it arrives. Retries are the {@link FetchScheduler}'s.
 */
final class HttpFetcher implements Fetcher {
  private static final int READ_BUFFER = 64 * 1024;
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

  /** The format of a body without a specific type is told from this much of its start. */
  static final int SNIFF_BYTES = 64 * 1024;

  /** What OkHttp reads of a response's status line and headers at most. */
  static final int HEADER_LIMIT = 256 * 1024;

  /** Small bodies inflate by large ratios innocently; the ratio guard starts past this size. */
  private static final long INFLATION_GUARD_FLOOR = 1 << 20;

  private final OkHttpClient client;
  private final int chunkBytes;
  private final long maxBodyBytes;
  private final long requestTimeoutNanos;
  private final int maxRedirects;
  private final int maxInflationRatio;
  private final Clock clock;

  /** One read buffer per fetch thread, kept: a small body then costs no large allocation. */
  private final ThreadLocal<byte[]> readBuffers =
      ThreadLocal.withInitial(() -> new byte[READ_BUFFER]);

  private final ScheduledThreadPoolExecutor watchdogs =
      FetchScheduler.timer("fetchstats-watchdog-");

  /** The attempts that may have a call to cancel. */
  private final Set<Attempt> inProgress = ConcurrentHashMap.newKeySet();

  private volatile boolean cancelled;

  HttpFetcher(FetchStatsConfig config) {
    this(config, AddressPolicy.of(config.fetch().allowPrivateNetworks()), UnaryOperator.identity());
  }

  /** {@code customize} lets tests trust their own TLS certificate. */
  HttpFetcher(
      FetchStatsConfig config,
      AddressPolicy policy,
      UnaryOperator<OkHttpClient.Builder> customize) {
    GuardedNetwork network = new GuardedNetwork(policy);
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            // A proxy would make the guard check the proxy's address instead of the target's.
            .proxy(Proxy.NO_PROXY)
            .dns(network.dns())
            .socketFactory(network.socketFactory())
            .connectTimeout(config.fetch().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            // No call or read timeout: they would count the time spent publishing to Kafka, and
            // race the watchdog that bounds the attempt's network time instead (see expire).
            .readTimeout(0, TimeUnit.MILLISECONDS)
            .connectionPool(new ConnectionPool(config.fetch().threads(), 1, TimeUnit.MINUTES))
            .followRedirects(false)
            .followSslRedirects(false);
    this.client = customize.apply(builder).build();
    this.chunkBytes = config.fetch().chunkBytes();
    this.maxBodyBytes = config.fetch().maxBodyBytes();
    this.requestTimeoutNanos = config.fetch().requestTimeout().toNanos();
    this.maxRedirects = config.fetch().maxRedirects();
    this.maxInflationRatio = config.fetch().maxInflationRatio();
    this.clock = Clock.systemUTC();
  }

  @Override
  public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
    Attempt attempt = new Attempt(System.nanoTime(), format);
    HttpUrl httpUrl;
    try {
      httpUrl = validate(url);
    } catch (InvalidUrlException e) {
      return attempt.failed(e.failure, e.getMessage());
    }
    attempt.watchdog =
        watchdogs.schedule(() -> expire(attempt), requestTimeoutNanos, TimeUnit.NANOSECONDS);
    inProgress.add(attempt);
    try {
      return follow(httpUrl, attempt, sink);
    } catch (InvalidUrlException e) {
      return attempt.failed(e.failure, e.getMessage());
    } catch (PublishException e) {
      throw e; // Kafka's trouble, not the URL's: the batch is aborted and fetched again
    } catch (IOException | RuntimeException e) {
      if (attempt.expired) {
        return attempt.failed(
            FailureClass.TIMEOUT,
            "no complete response within " + requestTimeoutNanos / 1_000_000 + " ms");
      }
      return attempt.failed(classify(e, attempt.status != null), describe(e));
    } finally {
      inProgress.remove(attempt);
      attempt.watchdog.cancel(false);
    }
  }

  /** Requests {@code url}, following redirects up to the limit, and reads the body. */
  private FetchResult follow(HttpUrl url, Attempt attempt, Chunker.Sink sink)
      throws IOException, InvalidUrlException {
    Set<HttpUrl> visited = new HashSet<>();
    visited.add(url);
    for (int redirects = 0; ; redirects++) {
      Call call =
          client.newCall(
              new Request.Builder()
                  .url(url)
                  .header("User-Agent", "fetchstats")
                  // Asked for by us, so OkHttp leaves decoding (and its limits) to us.
                  .header("Accept-Encoding", "gzip, deflate")
                  .build());
      attempt.call = call;
      attempt.newHop();
      // The watchdog fired between two hops, or cancelAll ran before it could see this call.
      if (attempt.expired || cancelled) {
        call.cancel();
      }
      try (Response response = call.execute()) {
        attempt.status = response.code();
        attempt.protocol = response.protocol().toString();
        attempt.contentType = response.header("Content-Type");
        String location = response.header("Location");
        if (response.isRedirect() && location != null) {
          HttpUrl next = redirectTarget(url, location);
          if (redirects == maxRedirects) {
            return attempt.failed(
                FailureClass.TOO_MANY_REDIRECTS,
                "more than " + maxRedirects + " redirects (the last to " + next + ")");
          }
          if (!visited.add(next)) {
            return attempt.failed(
                FailureClass.TOO_MANY_REDIRECTS,
                "redirect loop: " + url + " leads back to " + next);
          }
          url = next;
          continue;
        }
        if (!response.isSuccessful()) {
          return attempt.httpStatus(response, clock);
        }
        attempt.format =
            attempt.override != null
                ? attempt.override
                : Format.detect(attempt.contentType, url.encodedPath());
        return readBody(response, attempt, sink);
      }
    }
  }

  /**
   * Cancels the call once the attempt's network time, which leaves out the time spent publishing
   * chunks, passes the request timeout; until then it looks again when that could next happen.
   */
  private void expire(Attempt attempt) {
    long left = requestTimeoutNanos - attempt.networkNanos();
    if (left > 0) {
      attempt.watchdog = watchdogs.schedule(() -> expire(attempt), left, TimeUnit.NANOSECONDS);
    } else {
      attempt.expired = true;
      Call call = attempt.call;
      if (call != null) {
        call.cancel();
      }
    }
  }

  private FetchResult readBody(Response response, Attempt attempt, Chunker.Sink sink)
      throws IOException {
    ResponseBody body = response.body();
    long declared = body.contentLength();
    if (declared > maxBodyBytes) {
      return attempt.failed(FailureClass.TOO_LARGE, tooLarge(declared));
    }
    TextChunks chunks = new TextChunks(attempt, publishing(sink, attempt));
    BodyText text;
    try {
      text = BodyText.of(attempt.contentType, chunks);
    } catch (BodyText.UnknownCharsetException e) {
      return attempt.failed(FailureClass.DECODE_ERROR, e.getMessage());
    }
    MessageDigest sha256 = sha256();
    byte[] buffer = readBuffers.get();
    ContentDecoding.Counted wire = new ContentDecoding.Counted(body.byteStream());
    String encoding = response.header("Content-Encoding");
    try (InputStream in = ContentDecoding.decoded(encoding, wire)) {
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          FetchResult over = count(n, attempt, in, wire, encoding);
          if (over != null) {
            return over;
          }
          sha256.update(buffer, 0, n);
          text.write(buffer, 0, n);
        }
        text.finish();
        chunks.finish();
      } catch (BodyText.NotTextException
          | Chunker.RecordTooLongException
          | Chunker.MalformedException e) {
        FailureClass failure =
            e instanceof BodyText.NotTextException
                ? FailureClass.NOT_TEXT
                : e instanceof Chunker.MalformedException
                    ? FailureClass.PARSE_ERROR
                    : FailureClass.RECORD_TOO_LONG;
        // A decompression bomb's zeros are NUL bytes and a record without end long before its
        // size tells it is a bomb: read on until it can, to name it as one.
        FetchResult bomb = in == wire ? null : bombOrNull(attempt, in, wire, encoding, buffer);
        return bomb != null ? bomb : attempt.failed(failure, e.getMessage());
      }
    } catch (ContentDecoding.UnsupportedEncodingException e) {
      return attempt.failed(FailureClass.DECODE_ERROR, e.getMessage());
    }
    attempt.sha256 = HexFormat.of().formatHex(sha256.digest());
    return attempt.succeeded();
  }

  /**
   * Counts {@code n} more bytes of the decoded body: a failure if the body is now over the size
   * limit or inflates beyond the ratio, null if it may go on.
   */
  private FetchResult count(
      int n, Attempt attempt, InputStream in, ContentDecoding.Counted wire, String encoding) {
    attempt.bytes += n;
    if (attempt.bytes > maxBodyBytes) {
      return attempt.failed(FailureClass.TOO_LARGE, tooLarge(attempt.bytes));
    }
    if (in != wire
        && attempt.bytes > INFLATION_GUARD_FLOOR
        && attempt.bytes > maxInflationRatio * wire.count()) {
      return attempt.failed(
          FailureClass.TOO_LARGE,
          "the "
              + encoding
              + " body inflates more than "
              + maxInflationRatio
              + " times ("
              + attempt.bytes
              + " bytes from "
              + wire.count()
              + "): a decompression bomb?");
    }
    return null;
  }

  /**
   * Reads on, discarding, until the inflation guard can tell whether the body is a decompression
   * bomb: its failure if so, else null. The decoder reads ahead on the wire, so the ratio shows
   * only once the body is past that buffer times the ratio.
   */
  private FetchResult bombOrNull(
      Attempt attempt,
      InputStream in,
      ContentDecoding.Counted wire,
      String encoding,
      byte[] buffer) {
    long judged =
        Math.max(INFLATION_GUARD_FLOOR, (long) maxInflationRatio * ContentDecoding.BUFFER);
    try {
      int n;
      while (attempt.bytes <= judged && (n = in.read(buffer)) > 0) {
        FetchResult over = count(n, attempt, in, wire, encoding);
        if (over != null) {
          return over;
        }
      }
    } catch (IOException e) {
      // What broke further on was read only to name a bomb: the failure found first stands.
    }
    return null;
  }

  /**
   * Chunks the body's text. The chunker is made once the first {@link #SNIFF_BYTES} of text (or the
   * whole text, if shorter) are in, which may tell the format where the headers did not: so the
   * format is the same however the body arrives.
   */
  private final class TextChunks implements BodyText.Sink {
    private final Attempt attempt;
    private final Chunker.Sink sink;
    private byte[] start = new byte[0];
    private int started;
    private Chunker chunker;

    TextChunks(Attempt attempt, Chunker.Sink sink) {
      this.attempt = attempt;
      this.sink = sink;
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      if (chunker == null) {
        int n = Math.min(length, SNIFF_BYTES - started);
        if (started + n > start.length) {
          start =
              Arrays.copyOf(start, Math.min(SNIFF_BYTES, Math.max(2 * start.length, started + n)));
        }
        System.arraycopy(data, offset, start, started, n);
        started += n;
        if (started < SNIFF_BYTES) {
          return;
        }
        begin();
        offset += n;
        length -= n;
      }
      chunker.write(data, offset, length);
    }

    void finish() {
      if (chunker == null && started > 0) {
        begin();
      }
      if (chunker != null) {
        chunker.finish();
      }
    }

    private void begin() {
      if (attempt.override == null) {
        attempt.format = Format.sniff(attempt.format, attempt.contentType, start, started);
      }
      chunker = new Chunker(attempt.format, chunkBytes, sink);
      chunker.write(start, 0, started);
      start = null;
    }
  }

  /**
   * The sink as the chunker sees it: time spent publishing does not count against the URL's
   * timeout, a publishing failure is told apart from a fetch failure, and every chunk handed on is
   * counted at once (a body with a chunk out must not be fetched again into the same transaction,
   * whatever ends the attempt).
   */
  private static Chunker.Sink publishing(Chunker.Sink sink, Attempt attempt) {
    return (seq, format, header, data) -> {
      attempt.chunks++;
      long start = System.nanoTime();
      try {
        sink.chunk(seq, format, header, data);
      } catch (RuntimeException e) {
        throw new PublishException(e);
      } finally {
        attempt.publishNanos += System.nanoTime() - start;
      }
    };
  }

  private String tooLarge(long bytes) {
    return "body of " + bytes + " bytes or more exceeds the limit of " + maxBodyBytes + " bytes";
  }

  private static HttpUrl validate(String url) throws InvalidUrlException {
    String trimmed = url.strip();
    Matcher scheme = SCHEME.matcher(trimmed);
    if (!scheme.lookingAt()) {
      throw new InvalidUrlException(
          FailureClass.INVALID_URL, "invalid URL '" + trimmed + "': no scheme");
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!name.equals("http") && !name.equals("https")) {
      throw new InvalidUrlException(
          FailureClass.UNSUPPORTED_SCHEME,
          "unsupported scheme '" + name + "': only http and https");
    }
    // OkHttp's own parser decides, so whatever it can fetch is valid (it percent-encodes as
    // browsers do).
    HttpUrl parsed = HttpUrl.parse(trimmed);
    if (parsed == null) {
      throw new InvalidUrlException(
          FailureClass.INVALID_URL, "invalid URL '" + trimmed + "': bad host or port");
    }
    return withIpv4HostRead(parsed);
  }

  /** Where a redirect leads: the same rules as a URL of the list (http or https only). */
  private static HttpUrl redirectTarget(HttpUrl from, String location) throws InvalidUrlException {
    HttpUrl next = from.resolve(location);
    try {
      if (next != null) {
        return withIpv4HostRead(next);
      }
      validate(location);
    } catch (InvalidUrlException e) {
      throw new InvalidUrlException(e.failure, "redirected to " + e.getMessage());
    }
    throw new InvalidUrlException(
        FailureClass.INVALID_URL, "redirected to an invalid location '" + location + "'");
  }

  /**
   * The URL with an IPv4 host in dotted-decimal form, read as browsers read it ({@link Ipv4Host}),
   * so that the address policy checks, and the connection goes to, the address the URL names.
   */
  private static HttpUrl withIpv4HostRead(HttpUrl url) throws InvalidUrlException {
    String host =
        Ipv4Host.canonical(url.host())
            .orElseThrow(
                () ->
                    new InvalidUrlException(
                        FailureClass.INVALID_URL,
                        "invalid URL '"
                            + url
                            + "': the host ends in a number but is not an IPv4 address"));
    return host.equals(url.host()) ? url : url.newBuilder().host(host).build();
  }

  /**
   * The failure class of an exception; {@code responded} tells whether the status line had arrived
   * (a connection that ends before it was reset; one that ends within the body truncated it).
   */
  static FailureClass classify(Throwable error, boolean responded) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BlockedAddressException) {
        return FailureClass.BLOCKED_ADDRESS;
      }
    }
    if (error instanceof UnknownHostException) {
      return FailureClass.DNS;
    }
    if (error instanceof SocketTimeoutException || error instanceof InterruptedIOException) {
      return FailureClass.TIMEOUT;
    }
    if (error instanceof ConnectException || error instanceof NoRouteToHostException) {
      return FailureClass.CONNECT;
    }
    // A connection reset while TLS reads is an SSLException too: only the handshake's are TLS's.
    if (error instanceof SSLHandshakeException || error instanceof SSLPeerUnverifiedException) {
      return FailureClass.TLS;
    }
    if (error instanceof ZipException) {
      return FailureClass.DECODE_ERROR;
    }
    if (isOverHeaderLimit(error)) {
      return FailureClass.HTTP_PROTOCOL;
    }
    if (error instanceof EOFException || isReset(error)) {
      return responded ? FailureClass.TRUNCATED : FailureClass.CONNECTION_RESET;
    }
    // OkHttp's word for a malformed status line, header or chunk (a body cut short is above).
    if (error instanceof ProtocolException) {
      return FailureClass.HTTP_PROTOCOL;
    }
    return FailureClass.IO;
  }

  /**
   * OkHttp reads at most {@value #HEADER_LIMIT} bytes of response headers, and says so only in the
   * message of the EOFException it throws past them (wrapped in "unexpected end of stream").
   */
  private static boolean isOverHeaderLimit(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof EOFException
          && t.getMessage() != null
          && t.getMessage().startsWith("\\n not found: limit=")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the connection was reset or closed early (the cause may be wrapped, as in TLS). */
  private static boolean isReset(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if ((t instanceof SocketException
              && message != null
              && (message.contains("reset") || message.contains("Broken pipe")))
          // OkHttp's words for a connection that closed before the response or in the body.
          || (message != null && message.startsWith("unexpected end of stream"))
          || t.getClass().getSimpleName().equals("StreamResetException")) {
        return true;
      }
    }
    return false;
  }

  /** Failures that may go away if the URL is fetched again. */
  private static boolean isTransient(FailureClass failure, Integer status) {
    return switch (failure) {
      case CONNECT, TIMEOUT, CONNECTION_RESET, TRUNCATED, IO -> true;
      case HTTP_STATUS ->
          status != null && (status == 408 || status == 429 || status >= 500 && status != 501);
      default -> false;
    };
  }

  private static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BlockedAddressException) {
        return t.getMessage();
      }
    }
    if (isOverHeaderLimit(error)) {
      return "response headers over " + HEADER_LIMIT + " bytes";
    }
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public void cancelAll() {
    // Set before the calls are read, as an attempt sets its call before it reads this: every call
    // is cancelled here or by its attempt.
    cancelled = true;
    for (Attempt attempt : inProgress) {
      Call call = attempt.call;
      if (call != null) {
        call.cancel();
      }
    }
  }

  @Override
  public void close() {
    watchdogs.shutdownNow();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static final class InvalidUrlException extends Exception {
    private final FailureClass failure;

    InvalidUrlException(FailureClass failure, String message) {
      super(message);
      this.failure = failure;
    }
  }

  /** What is known so far of one attempt. */
  private static final class Attempt {
    private final long start;
    private final Format override;
    private Integer status;
    private String protocol;
    private String contentType;
    private Format format = Format.TEXT;
    private long bytes;
    private int chunks;
    private String sha256;
    private Duration retryAfter;
    // Written by the fetching thread, read by the watchdog's.
    private volatile long publishNanos;
    private volatile boolean expired;
    private volatile Call call;
    private volatile ScheduledFuture<?> watchdog;

    Attempt(long start, Format override) {
      this.start = start;
      this.override = override;
    }

    /** What a redirect's response told is not the next hop's. */
    void newHop() {
      status = null;
      protocol = null;
      contentType = null;
    }

    /** Time spent on this attempt, less the time spent publishing its chunks. */
    long networkNanos() {
      return System.nanoTime() - start - publishNanos;
    }

    FetchResult httpStatus(Response response, Clock clock) {
      retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant()).orElse(null);
      String text = response.message().isEmpty() ? "" : " " + response.message();
      return failed(FailureClass.HTTP_STATUS, "HTTP " + response.code() + text);
    }

    FetchResult failed(FailureClass failure, String error) {
      return result(failure, error);
    }

    FetchResult succeeded() {
      return result(null, null);
    }

    private FetchResult result(FailureClass failure, String error) {
      long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new FetchResult(
          status,
          protocol,
          failure,
          error,
          contentType,
          format,
          bytes,
          chunks,
          sha256,
          latencyMs,
          1,
          failure != null && isTransient(failure, status),
          retryAfter);
    }
  }
}
