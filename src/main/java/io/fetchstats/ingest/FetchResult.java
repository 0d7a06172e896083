package io.fetchstats.ingest;

import io.fetchstats.config.FailureClass;
import io.fetchstats.parse.Format;

/**
 * How one fetch went.
 *
 * @param status the HTTP status, or null when no response arrived
 * @param failure null for a successful fetch
 * @param chunks how many chunks were handed to the sink (also after a failure midway)
 * @param sha256 hex digest of the whole body, null unless the body was read to its end
 */
record FetchResult(
    Integer status,
    FailureClass failure,
    String error,
    String contentType,
    Format format,
    long bytes,
    int chunks,
    String sha256,
    long latencyMs,
    int attempts) {

  boolean ok() {
    return failure == null;
  }
}
