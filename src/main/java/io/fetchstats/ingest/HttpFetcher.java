package io.fetchstats.ingest;

import io.fetchstats.config.FailureClass;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.parse.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Fetches over http and https with OkHttp, guarded by the {@link AddressPolicy}. */
final class HttpFetcher implements Fetcher {
  private static final int READ_BUFFER = 64 * 1024;
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):");

  private final OkHttpClient client;
  private final int chunkBytes;
  private final long maxBodyBytes;
  private final long requestTimeoutNanos;
  private final ScheduledExecutorService watchdogs =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "fetchstats-fetch-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  HttpFetcher(FetchStatsConfig config) {
    this(config, AddressPolicy.of(config.allowPrivateNetworks()));
  }

  HttpFetcher(FetchStatsConfig config, AddressPolicy policy) {
    GuardedNetwork network = new GuardedNetwork(policy);
    this.client =
        new OkHttpClient.Builder()
            // A proxy would make the guard check the proxy's address instead of the target's.
            .proxy(Proxy.NO_PROXY)
            .dns(network.dns())
            .socketFactory(network.socketFactory())
            .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            // No call timeout: it would count the time spent publishing to Kafka; a watchdog
            // bounds the whole fetch instead (see expire), and this a stalled read.
            .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .connectionPool(new ConnectionPool(config.fetchThreads(), 1, TimeUnit.MINUTES))
            .followRedirects(true)
            .followSslRedirects(true)
            .build();
    this.chunkBytes = config.chunkBytes();
    this.maxBodyBytes = config.maxBodyBytes();
    this.requestTimeoutNanos = config.requestTimeout().toNanos();
  }

  @Override
  public FetchResult fetch(String url, Chunker.Sink sink) {
    long start = System.nanoTime();
    Attempt attempt = new Attempt(start);
    HttpUrl httpUrl;
    try {
      httpUrl = validate(url);
    } catch (InvalidUrlException e) {
      return attempt.failed(e.failure, e.getMessage());
    }
    Request request = new Request.Builder().url(httpUrl).header("User-Agent", "fetchstats").build();
    Call call = client.newCall(request);
    ScheduledFuture<?> watchdog =
        watchdogs.schedule(() -> expire(call, attempt), requestTimeoutNanos, TimeUnit.NANOSECONDS);
    attempt.watchdog = watchdog;
    try (Response response = call.execute()) {
      attempt.status = response.code();
      attempt.contentType = response.header("Content-Type");
      if (!response.isSuccessful()) {
        return attempt.failed(
            FailureClass.HTTP_STATUS, "HTTP " + response.code() + statusText(response));
      }
      attempt.format = Format.detect(attempt.contentType, httpUrl.encodedPath());
      return readBody(response.body(), attempt, sink);
    } catch (PublishException e) {
      throw e; // Kafka's trouble, not the URL's: the batch is aborted and fetched again
    } catch (IOException | RuntimeException e) {
      if (attempt.expired) {
        return attempt.failed(
            FailureClass.TIMEOUT,
            "no complete response within " + requestTimeoutNanos / 1_000_000 + " ms");
      }
      return attempt.failed(classify(e), describe(e));
    } finally {
      attempt.watchdog.cancel(false);
    }
  }

  /**
   * Cancels the call once its network time, which leaves out the time spent publishing chunks,
   * passes the request timeout; until then it looks again when that could next happen.
   */
  private void expire(Call call, Attempt attempt) {
    long left = requestTimeoutNanos - attempt.networkNanos();
    if (left > 0) {
      attempt.watchdog =
          watchdogs.schedule(() -> expire(call, attempt), left, TimeUnit.NANOSECONDS);
    } else {
      attempt.expired = true;
      call.cancel();
    }
  }

  private FetchResult readBody(ResponseBody body, Attempt attempt, Chunker.Sink sink)
      throws IOException {
    long declared = body.contentLength();
    if (declared > maxBodyBytes) {
      return attempt.failed(FailureClass.TOO_LARGE, tooLarge(declared));
    }
    MessageDigest sha256 = sha256();
    Chunker chunker = new Chunker(attempt.format, chunkBytes, publishing(sink, attempt));
    byte[] buffer = new byte[READ_BUFFER];
    try (InputStream in = body.byteStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        attempt.bytes += n;
        if (attempt.bytes > maxBodyBytes) {
          attempt.chunks = chunker.chunksEmitted();
          return attempt.failed(FailureClass.TOO_LARGE, tooLarge(attempt.bytes));
        }
        sha256.update(buffer, 0, n);
        chunker.write(buffer, 0, n);
      }
      chunker.finish();
    } catch (Chunker.RecordTooLongException e) {
      attempt.chunks = chunker.chunksEmitted();
      return attempt.failed(FailureClass.RECORD_TOO_LONG, e.getMessage());
    } catch (IOException e) {
      attempt.chunks = chunker.chunksEmitted();
      throw e;
    }
    attempt.chunks = chunker.chunksEmitted();
    attempt.sha256 = HexFormat.of().formatHex(sha256.digest());
    return attempt.succeeded();
  }

  /**
   * The sink as the chunker sees it: time spent publishing does not count against the URL's
   * timeout, and a publishing failure is told apart from a fetch failure.
   */
  private static Chunker.Sink publishing(Chunker.Sink sink, Attempt attempt) {
    return (seq, format, header, data) -> {
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

  private static String statusText(Response response) {
    return response.message().isEmpty() ? "" : " " + response.message();
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
    return parsed;
  }

  static FailureClass classify(Throwable error) {
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
    return FailureClass.IO;
  }

  private static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BlockedAddressException) {
        return t.getMessage();
      }
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

  /** What is known so far of one fetch. */
  private static final class Attempt {
    private final long start;
    private Integer status;
    private String contentType;
    private Format format = Format.TEXT;
    private long bytes;
    private int chunks;
    private String sha256;
    // Written by the fetching thread, read by the watchdog's.
    private volatile long publishNanos;
    private volatile boolean expired;
    private volatile ScheduledFuture<?> watchdog;

    Attempt(long start) {
      this.start = start;
    }

    /** Time spent on this fetch, less the time spent publishing its chunks. */
    long networkNanos() {
      return System.nanoTime() - start - publishNanos;
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
          status, failure, error, contentType, format, bytes, chunks, sha256, latencyMs, 1);
    }
  }
}
