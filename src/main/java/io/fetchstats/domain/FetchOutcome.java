package io.fetchstats.domain;

import java.time.Instant;

/**
 * How the fetch of one URL request went, and how many chunks it published (see
 * schemas/FetchOutcome.avsc for each field). Kept whole in the request's aggregate, so that its
 * result can tell all of it.
 *
 * @param status HTTP status, null when no response arrived
 * @param duplicateOf the request whose fetch this one shares, as its URL was listed before in the
 *     job; null for a first listing
 */
public record FetchOutcome(
    String jobId,
    String url,
    String requestId,
    boolean ok,
    Integer status,
    String protocol,
    String errorClass,
    String error,
    String contentType,
    String format,
    long bytes,
    int chunkCount,
    String sha256,
    long latencyMs,
    int attempts,
    Instant fetchedAt,
    String duplicateOf) {}
