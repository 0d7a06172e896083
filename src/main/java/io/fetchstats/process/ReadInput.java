package io.fetchstats.process;

import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.InputReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each record of an input topic, which any producer may write to, with its {@link
 * InputReader}: a record that cannot be processed becomes a dead letter saying why and where it
 * was, so that no record can stop the processor.
 */
final class ReadInput<T extends SpecificRecord>
    implements Processor<byte[], byte[], String, Routed<T>> {
  private static final Logger log = LoggerFactory.getLogger(ReadInput.class);

  private final InputReader<T> reader;
  private final ProcessMetrics metrics;
  private ProcessorContext<String, Routed<T>> context;

  ReadInput(InputReader<T> reader, ProcessMetrics metrics) {
    this.reader = reader;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed<T>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    InputReader.Read<T> read = reader.read(record.key(), record.value());
    if (read.ok()) {
      context.forward(new Record<>(read.key(), Routed.of(read.value()), record.timestamp()));
      return;
    }
    RecordMetadata source = context.recordMetadata().orElseThrow();
    log.warn(
        "Dead letter from {}-{}@{}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        read.reason());
    metrics.deadLetter();
    context.forward(
        new Record<>(
            null,
            Routed.dead(
                DeadLetters.letter(
                    record.key(),
                    record.value(),
                    read.exception(),
                    read.reason(),
                    source.topic(),
                    source.partition(),
                    source.offset())),
            record.timestamp()));
  }
}
