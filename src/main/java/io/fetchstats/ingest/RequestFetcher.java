package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a request's URL and publishes its chunks and its one outcome into the open transaction,
 * every fetch under an id of its own (the processor counts only the chunks of the fetch the outcome
 * names). A URL its job listed before is not fetched again: its outcome names the first request,
 * once that one has its result; a URL of a cancelled job is not fetched at all: its outcome says
 * CANCELLED. The ingest loop's thread calls it; the fetch threads publish.
 */
final class RequestFetcher {
  // The stage's log, where its operators look.
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /** How many URLs of recent jobs are remembered to tell duplicates (about 0.5 KB each). */
  private static final int FIRST_FETCHES_REMEMBERED = 20_000;

  private final FetchScheduler scheduler;
  private final TransactionalProducer producer;
  private final IngestRecords records;
  private final FetchMetrics metrics;
  private final OpenRequests open;
  private final CancelledJobs cancelled;
  private final FirstFetches firstFetches = new FirstFetches(FIRST_FETCHES_REMEMBERED);
  private final SplittableRandom fetchIds = new SplittableRandom(new SecureRandom().nextLong());

  RequestFetcher(
      FetchScheduler scheduler,
      TransactionalProducer producer,
      IngestRecords records,
      FetchMetrics metrics,
      OpenRequests open,
      CancelledJobs cancelled) {
    this.scheduler = scheduler;
    this.cancelled = cancelled;
    this.producer = producer;
    this.records = records;
    this.metrics = metrics;
    this.open = open;
  }

  /** Fetches {@code fetch}'s request and publishes what it brings; tells {@link OpenRequests}. */
  CompletableFuture<FetchResult> fetch(UrlBacklog.Fetch fetch) {
    UrlRequests.Request request = fetch.request();
    long fetchId = fetchIds.nextLong();
    FirstFetches.First first = firstFetches.earlier(request, fetch.url());
    if (first != null) {
      return first
          .result()
          .thenApply(
              result -> {
                publishOutcome(fetch, fetchId, result, first.requestId());
                return result;
              });
    }
    CompletableFuture<FetchResult> result =
        scheduler
            .fetch(
                request.url(),
                fetch.host(),
                request.format(),
                () -> !cancelled.isCancelled(request.jobId()),
                (seq, format, header, data) ->
                    producer.send(
                        records.chunk(request, fetchId, seq, format, header, data), () -> {}))
            .thenApply(
                fetched -> {
                  if (fetched.failure() != FailureClass.CANCELLED) { // not a fetch at all
                    metrics.record(fetched);
                  }
                  publishOutcome(fetch, fetchId, fetched, null);
                  return fetched;
                });
    firstFetches.add(request, fetch.url(), result);
    return result;
  }

  /** The open transaction committed: its first requests are remembered for later ones. */
  void committed() {
    firstFetches.commit();
  }

  /** The open transaction aborted: its first requests were never published. */
  void aborted() {
    firstFetches.abort();
  }

  /** Publishes the request's one outcome (see {@link IngestRecords#outcome}); it is done then. */
  private void publishOutcome(
      UrlBacklog.Fetch fetch, long fetchId, FetchResult result, String duplicateOf) {
    UrlRequests.Request request = fetch.request();
    producer.send(
        records.outcome(request, fetchId, result, duplicateOf),
        () -> open.outcomeSent(fetch, result.ok()));
    if (duplicateOf != null) {
      log.info("{} is listed again in job {}: not fetched twice", request.url(), request.jobId());
    } else if (result.failure() == FailureClass.CANCELLED) {
      log.debug("{} of cancelled job {}: not fetched", request.url(), request.jobId());
    } else if (!result.ok()) {
      log.info(
          "{} failed after {} attempt(s): {} {}",
          request.url(),
          result.attempts(),
          result.failure(),
          result.error());
    }
  }
}
