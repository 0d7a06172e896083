package io.fetchstats.ingest;

/** Publishing a chunk to Kafka failed: the transaction must be aborted, the URL is not to blame. */
final class PublishException extends RuntimeException {
  PublishException(RuntimeException cause) {
    super("publishing a chunk failed: " + cause.getMessage(), cause);
  }
}
