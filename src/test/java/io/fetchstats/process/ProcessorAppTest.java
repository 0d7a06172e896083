package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** What becomes of a stream thread that an error stopped. */
class ProcessorAppTest {
  @Test
  void aThreadStoppedBecauseKafkaWasAwayIsReplaced() {
    // As a processor logged it when the broker stayed away for 150 s.
    Throwable error =
        new StreamsException(
            "Error encountered trying to commit a transaction",
            new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new TransactionAbortableException(
                    "Transaction Request was aborted after exhausting retries.",
                    new TimeoutException(
                        "Topic fetchstats.url-results not present in metadata after 60000 ms."))));

    assertThat(ProcessorApp.onStreamThreadError(error))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void aThreadWhoseCommitARestartedBrokerRefusedIsReplaced() {
    // As a processor logged it when the broker was killed (kill -9) and started again.
    Throwable error =
        new StreamsException(
            "Error encountered trying to commit a transaction",
            new InvalidTxnStateException(
                "The producer attempted a transactional operation in an invalid state."));

    assertThat(ProcessorApp.onStreamThreadError(error))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void anyOtherErrorStopsTheProcessor() {
    Throwable error =
        new StreamsException("a bug", new IllegalStateException("not a Kafka timeout"));

    assertThat(ProcessorApp.onStreamThreadError(error))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }
}
