package io.fetchstats.process;

import io.fetchstats.kafka.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence behind the read-* steps of the {@link ProcessTopology}: when processing
 * a record throws anyway (a bug, or a record on an internal topic that no stage wrote), the record
 * goes to dead-letters with the exception and processing goes on, so that no record can stop the
 * processor. Kafka's own failures (a state store, a client) are not a record's doing: they stop the
 * stream thread, as they would without this handler.
 */
public final class DeadLetterProcessingErrors implements ProcessingExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingErrors.class);

  private String deadLetterTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetterTopic =
        (String) configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof KafkaException) {
      return Response.fail();
    }
    log.error(
        "Processing a record of {}-{}@{} in {} failed; it goes to dead-letters",
        context.topic(),
        context.partition(),
        context.offset(),
        context.processorNodeId(),
        exception);
    DeadLetters.Letter letter =
        DeadLetters.letter(
            context.sourceRawKey(),
            context.sourceRawValue(),
            exception.getClass().getName(),
            exception + " (in " + context.processorNodeId() + ")",
            String.valueOf(context.topic()),
            context.partition(),
            context.offset());
    return Response.resume(List.of(letter.toRecord(deadLetterTopic)));
  }
}
