package io.fetchstats.process;

import io.fetchstats.kafka.DeadLetters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns each dead letter into the record the dead-letters topic takes: its key, value and headers.
 */
final class DeadLetterRecords implements Processor<String, DeadLetters.Letter, byte[], byte[]> {
  private ProcessorContext<byte[], byte[]> context;

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, DeadLetters.Letter> record) {
    DeadLetters.Letter letter = record.value();
    context.forward(
        new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()));
  }
}
