package io.fetchstats.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the processor knows of one URL request: the aggregate of each fetch of it seen so far.
 * Normally there is one. Ingest commits a body's chunks as they come, so when it stops mid-body it
 * fetches the request again after its restart, and the chunks of the first fetch, committed before
 * the stop, arrive too. The fetch whose outcome arrives is the request's (an outcome is committed
 * once per request); the others are abandoned, and their chunks are dropped whenever they arrive,
 * before or after that outcome.
 *
 * @param main the fetch that has the outcome, or else the first seen
 * @param others the other fetches seen while none has its outcome
 */
public record RequestFetches(UrlAggregate main, List<UrlAggregate> others) {

  public RequestFetches {
    Objects.requireNonNull(main, "main");
    others = List.copyOf(others);
  }

  /**
   * What one event did: the request's state after it, and the aggregate of the fetch it added to;
   * {@code advanced} is null when the event was dropped (see {@link #with}).
   */
  public record Step(RequestFetches state, UrlAggregate advanced) {}

  /** The request after its first event. */
  public static Step first(UrlAggregate event) {
    UrlAggregate merged = emptyOf(event).merge(event);
    return new Step(new RequestFetches(merged, List.of()), merged);
  }

  /** Whether the request's outcome arrived and as many chunks as it announced are counted. */
  public boolean isComplete() {
    return main.isComplete();
  }

  /**
   * The request after {@code event}. Dropped: any event of a complete request, an outcome when the
   * request has one, and events of other fetches than the one with the outcome.
   */
  public Step with(UrlAggregate event) {
    boolean settled = main.outcome() != null;
    if (isComplete() || (settled && (event.outcome() != null || !main.sameFetch(event)))) {
      return new Step(this, null);
    }
    if (main.sameFetch(event)) {
      UrlAggregate merged = main.merge(event);
      return new Step(
          new RequestFetches(merged, event.outcome() == null ? others : List.of()), merged);
    }
    UrlAggregate other = others.stream().filter(event::sameFetch).findFirst().orElse(null);
    UrlAggregate merged = (other == null ? emptyOf(event) : other).merge(event);
    if (event.outcome() != null) {
      // This fetch is the request's: the first seen and any other were abandoned.
      return new Step(new RequestFetches(merged, List.of()), merged);
    }
    List<UrlAggregate> updated = new ArrayList<>(others);
    updated.remove(other);
    updated.add(merged);
    return new Step(new RequestFetches(main, updated), merged);
  }

  /**
   * What is kept of a complete request: its fetch without the cells (its result and its job hold
   * them), so that late events of abandoned fetches are known for what they are.
   */
  public RequestFetches completed() {
    return new RequestFetches(main.withoutCells(), List.of());
  }

  private static UrlAggregate emptyOf(UrlAggregate event) {
    return UrlAggregate.empty(event.jobId(), event.url(), event.requestId(), event.fetchId());
  }
}
