package io.fetchstats.domain;

import io.fetchstats.stats.FieldAccumulator;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Named builders of one job's URL requests, their events and outcomes. */
final class Requests {
  static final String JOB = "job";

  private Requests() {}

  /** Fields of the given names, each holding {@code values}. */
  static Fields fields(Map<String, double[]> values) {
    Map<String, io.fetchstats.stats.FieldStats> byName = new TreeMap<>();
    values.forEach(
        (name, xs) -> {
          FieldAccumulator accumulator = new FieldAccumulator();
          for (double x : xs) {
            accumulator.add(x);
          }
          byName.put(name, accumulator.snapshot());
        });
    return Fields.of(byName);
  }

  /** Fields {@code <prefix><from>} to {@code <prefix><to - 1>} (four digits), one value each. */
  static Fields numbered(String prefix, int from, int to) {
    return fields(
        IntStream.range(from, to)
            .boxed()
            .collect(
                Collectors.toMap(
                    i -> String.format("%s%04d", prefix, i), i -> new double[] {i + 0.5})));
  }

  /** One chunk of request {@code requestId} of {@code url}, counted. */
  static UrlAggregate chunk(String url, String requestId, long rows, Fields fields, String error) {
    return new UrlAggregate(
        JOB,
        url,
        requestId,
        null,
        1,
        rows,
        rows / 3,
        fields,
        error,
        error == null ? null : "PARSE_ERROR",
        null);
  }

  /** The outcome of request {@code requestId} of {@code url}. */
  static UrlAggregate outcome(String url, String requestId, boolean ok, int chunkCount) {
    FetchOutcome outcome =
        new FetchOutcome(
            JOB,
            url,
            requestId,
            ok,
            ok ? 200 : 503,
            "http/1.1",
            ok ? null : "HTTP_STATUS",
            ok ? null : "503 Service Unavailable",
            "text/csv",
            "CSV",
            1_000L * chunkCount,
            chunkCount,
            ok ? "ab12" : null,
            12,
            1,
            Instant.parse("2026-01-02T03:04:05Z"),
            null);
    return new UrlAggregate(JOB, url, requestId, outcome, 0, 0, 0, Fields.EMPTY, null, null, null);
  }

  /** {@code event} as one of fetch {@code fetchId} of its request. */
  static UrlAggregate ofFetch(long fetchId, UrlAggregate event) {
    return new UrlAggregate(
        event.jobId(),
        event.url(),
        event.requestId(),
        event.outcome(),
        event.chunksCounted(),
        event.rows(),
        event.raggedRows(),
        event.fields(),
        event.parseError(),
        event.errorClass(),
        fetchId);
  }
}
