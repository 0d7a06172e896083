package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterProcessingErrorsTest {
  private final DeadLetterProcessingErrors handler = new DeadLetterProcessingErrors();

  DeadLetterProcessingErrorsTest() {
    handler.configure(
        Map.of(
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "fetchstats.dead-letters"));
  }

  @Test
  void aRecordWhoseProcessingThrowsGoesToDeadLettersAndProcessingResumes() {
    ProcessingExceptionHandler.Response response =
        handler.handleError(context(), null, new IllegalStateException("a bug"));

    assertThat(response.result()).isEqualTo(Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.topic()).isEqualTo("fetchstats.dead-letters");
              assertThat(letter.key()).isEqualTo(bytes("key"));
              assertThat(letter.value()).isEqualTo(bytes("value"));
              assertThat(
                      new String(
                          letter.headers().lastHeader("__streams.errors.message").value(),
                          StandardCharsets.UTF_8))
                  .isEqualTo("java.lang.IllegalStateException: a bug (in url-aggregator)");
            });
  }

  @Test
  void kafkasOwnFailuresStillStopTheThread() {
    ProcessingExceptionHandler.Response response =
        handler.handleError(context(), null, new KafkaException("store closed"));

    assertThat(response.result()).isEqualTo(Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

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
      public org.apache.kafka.common.header.Headers headers() {
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
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return bytes("key");
      }

      @Override
      public byte[] sourceRawValue() {
        return bytes("value");
      }
    };
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
