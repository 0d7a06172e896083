package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.io.IOException;
import java.net.Proxy;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * ours to report; the body read by the {@link BodyReader}, its failures named by {@link
 * FetchFailures}. Retries are the {@link FetchScheduler}'s.
 */
final class HttpFetcher implements Fetcher {
  private final OkHttpClient client;
  private final BodyReader bodies;
  private final long requestTimeoutNanos;
  private final int maxRedirects;
  private final Clock clock;

  private final ScheduledThreadPoolExecutor watchdogs =
      FetchScheduler.timer("fetchstats-watchdog-");

  /** The attempts that may have a call to cancel. */
  private final Set<FetchAttempt> inProgress = ConcurrentHashMap.newKeySet();

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
    this.bodies =
        new BodyReader(
            config.fetch().chunkBytes(),
            config.fetch().maxBodyBytes(),
            config.fetch().maxInflationRatio());
    this.requestTimeoutNanos = config.fetch().requestTimeout().toNanos();
    this.maxRedirects = config.fetch().maxRedirects();
    this.clock = Clock.systemUTC();
  }

  @Override
  public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
    FetchAttempt attempt = new FetchAttempt(System.nanoTime(), format);
    HttpUrl httpUrl;
    try {
      httpUrl = FetchUrls.parse(url);
    } catch (FetchUrls.InvalidUrlException e) {
      return attempt.failed(e.failure(), e.getMessage());
    }
    attempt.watchdog =
        watchdogs.schedule(() -> expire(attempt), requestTimeoutNanos, TimeUnit.NANOSECONDS);
    inProgress.add(attempt);
    try {
      return follow(httpUrl, attempt, sink);
    } catch (FetchUrls.InvalidUrlException e) {
      return attempt.failed(e.failure(), e.getMessage());
    } catch (PublishException e) {
      throw e; // Kafka's trouble, not the URL's: what is not committed is aborted and fetched again
    } catch (IOException | RuntimeException e) {
      if (attempt.expired) {
        return attempt.failed(
            FailureClass.TIMEOUT,
            "no complete response within " + requestTimeoutNanos / 1_000_000 + " ms");
      }
      return attempt.failed(
          FetchFailures.classify(e, attempt.status != null), FetchFailures.describe(e));
    } finally {
      inProgress.remove(attempt);
      attempt.watchdog.cancel(false);
    }
  }

  /** Requests {@code url}, following redirects up to the limit, and reads the body. */
  private FetchResult follow(HttpUrl url, FetchAttempt attempt, Chunker.Sink sink)
      throws IOException, FetchUrls.InvalidUrlException {
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
          HttpUrl next = FetchUrls.redirectTarget(url, location);
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
        ResponseBody body = response.body();
        return bodies.read(
            body.byteStream(),
            body.contentLength(),
            response.header("Content-Encoding"),
            attempt,
            sink);
      }
    }
  }

  /**
   * Cancels the call once the attempt's network time, which leaves out the time spent publishing
   * chunks, passes the request timeout; until then it looks again when that could next happen.
   */
  private void expire(FetchAttempt attempt) {
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

  @Override
  public void cancelAll() {
    // Set before the calls are read, as an attempt sets its call before it reads this: every call
    // is cancelled here or by its attempt.
    cancelled = true;
    for (FetchAttempt attempt : inProgress) {
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
}
