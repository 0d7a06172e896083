package io.fetchstats.bench;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.samples.GeneratedBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The URLs of a chaos job on the sample server, and the outcome each is meant to have: generated
 * bodies of every format (some gzipped) of 1 to 12 KB, each answered after a latency that paces the
 * job, and one URL in {@value #FAILING_EVERY} failing in a way the server is asked to fail: 404, a
 * 503 retried, a reset retried, a body cut short, a redirect loop, broken gzip, and now and then
 * one that hangs until the request times out. The same count gives the same URLs, so every job of a
 * run fetches the same bytes and fails the same way.
 *
 * @param urls in the order they are submitted
 */
record ChaosJob(List<PlannedUrl> urls) {
  static final int FAILING_EVERY = 25;
  private static final int HANGING_EVERY = 500;

  private static final List<GeneratedBody.Kind> FORMATS =
      List.of(
          GeneratedBody.Kind.CSV,
          GeneratedBody.Kind.JSON,
          GeneratedBody.Kind.NDJSON,
          GeneratedBody.Kind.TEXT);

  /** How the server is asked to fail, and how the pipeline is to report it. */
  private record Failure(String query, FailureClass failure) {}

  private static final List<Failure> FAILURES =
      List.of(
          new Failure("status=404", FailureClass.HTTP_STATUS),
          new Failure("fault=reset", FailureClass.CONNECTION_RESET),
          new Failure("status=503", FailureClass.HTTP_STATUS),
          new Failure("fault=truncate&bytes=2000", FailureClass.TRUNCATED),
          new Failure("fault=redirect-loop", FailureClass.TOO_MANY_REDIRECTS),
          new Failure("fault=bad-gzip&bytes=2000", FailureClass.DECODE_ERROR));

  /**
   * One URL of the job.
   *
   * @param failure how it is to fail, or null if it is to succeed
   */
  record PlannedUrl(String url, FailureClass failure) {
    boolean ok() {
      return failure == null;
    }
  }

  ChaosJob {
    urls = List.copyOf(urls);
  }

  /**
   * {@code count} URLs on the server at {@code baseUrl}; good ones answer after {@code latency}.
   */
  static ChaosJob of(String baseUrl, int count, int latencyMs) {
    List<PlannedUrl> urls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      GeneratedBody.Kind kind = FORMATS.get(i % FORMATS.size());
      String path = baseUrl + "/gen/" + kind.pathName() + "?seed=" + i + "&";
      if (i % HANGING_EVERY == HANGING_EVERY / 2) {
        urls.add(new PlannedUrl(path + "fault=hang", FailureClass.TIMEOUT));
      } else if (i % FAILING_EVERY == FAILING_EVERY / 2) {
        Failure failure = FAILURES.get(i / FAILING_EVERY % FAILURES.size());
        urls.add(new PlannedUrl(path + failure.query(), failure.failure()));
      } else {
        int bytes = 1_000 + i * 7_919 % 11_000;
        String gzip = i % 7 == 3 ? "&encoding=gzip" : "";
        urls.add(
            new PlannedUrl(
                String.format(Locale.ROOT, "%sbytes=%d&latency=%d%s", path, bytes, latencyMs, gzip),
                null));
      }
    }
    return new ChaosJob(urls);
  }

  List<String> list() {
    return urls.stream().map(PlannedUrl::url).toList();
  }

  long failing() {
    return urls.stream().filter(url -> !url.ok()).count();
  }
}
