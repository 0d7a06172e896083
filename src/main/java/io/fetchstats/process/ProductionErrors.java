package io.fetchstats.process;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A record the processor could not write to Kafka (the broker away, its transaction aborted) is
 * Kafka's trouble, not the input's: the write is retried when Kafka says it may be, and otherwise
 * fails the stream thread, whose transaction aborts (see {@link ProcessorApp} for what becomes of
 * the thread), with no dead letter. Kafka's default handler dead-letters the input record as soon
 * as a dead-letter topic is set, and builds that letter with the context's timestamp, which is -1
 * for a write to a changelog: the letter's IllegalArgumentException, a fatal error, stopped the
 * processor after a broker restart. Serialization errors are handled as Kafka's default does.
 */
public final class ProductionErrors extends DefaultProductionExceptionHandler {
  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return exception instanceof RetriableException ? Response.retry() : Response.fail();
  }
}
