package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** What a write the processor could not make does: never a dead letter, never a crash. */
class ProductionErrorsTest {
  private static final Map<String, String> CONFIG =
      Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "fetchstats.dead-letters");

  /** As a processor met it when the broker stayed away for 150 s: a changelog write aborted. */
  private static final Exception ABORTED =
      new TransactionAbortableException(
          "Transaction Request was aborted after exhausting retries.",
          new TimeoutException(
              "Topic fetchstats.process-job-urls-changelog not present in metadata after 60000 ms."));

  private static final ProducerRecord<byte[], byte[]> CHANGELOG_WRITE =
      new ProducerRecord<>(
          "fetchstats.process-url-aggregates-changelog", 1, bytes("job|url|1"), bytes("state"));

  @Test
  void aWriteThatFailsFailsTheThreadWithoutADeadLetter() {
    Response response =
        handler(new ProductionErrors()).handleError(context(), CHANGELOG_WRITE, ABORTED);

    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void aWriteKafkaSaysMaySucceedLaterIsRetried() {
    Response response =
        handler(new ProductionErrors())
            .handleError(context(), CHANGELOG_WRITE, new NotEnoughReplicasException("one moment"));

    assertThat(response.result()).isEqualTo(Result.RETRY);
  }

  /** Why the handler exists; once Kafka's passes, ProductionErrors can go. */
  @Test
  void kafkasDefaultHandlerThrowsBuildingADeadLetterForAWriteWithoutTimestamp() {
    ProductionExceptionHandler kafkas = handler(new DefaultProductionExceptionHandler());

    assertThatThrownBy(() -> kafkas.handleError(context(), CHANGELOG_WRITE, ABORTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid timestamp: -1");
  }

  private static ProductionExceptionHandler handler(ProductionExceptionHandler handler) {
    handler.configure(CONFIG);
    return handler;
  }

  /** The context of a write to a changelog: no timestamp. */
  private static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return "fetchstats.process-url-events-repartition";
      }

      @Override
      public int partition() {
        return 1;
      }

      @Override
      public long offset() {
        return 7;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "url-aggregator";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(1, 1);
      }

      @Override
      public long timestamp() {
        return -1;
      }

      @Override
      public byte[] sourceRawKey() {
        return bytes("job|url|1");
      }

      @Override
      public byte[] sourceRawValue() {
        return bytes("event");
      }
    };
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
