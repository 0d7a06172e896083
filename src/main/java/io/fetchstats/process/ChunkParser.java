package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.config.FailureClass;
import io.fetchstats.config.Keys;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.DeadLetters;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses each chunk into its statistics, keyed by its request. A chunk that cannot be parsed still
 * counts (its URL fails with PARSE_ERROR, so the job completes), and a copy of it goes to
 * dead-letters with the reason and where it came from.
 */
final class ChunkParser implements Processor<String, Chunk, String, ChunkParser.Parsed> {
  private final AvroSerde<Chunk> chunks = AvroSerde.of(Chunk.class);
  private final ProcessMetrics metrics;
  private ProcessorContext<String, Parsed> context;

  ChunkParser(ProcessMetrics metrics) {
    this.metrics = metrics;
  }

  /** Either the chunk's statistics or, for a chunk that failed, its dead letter. */
  record Parsed(UrlEvent event, byte[] deadLetter) {
    boolean isDeadLetter() {
      return deadLetter != null;
    }
  }

  @Override
  public void init(ProcessorContext<String, Parsed> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Chunk> record) {
    Chunk chunk = record.value();
    long start = System.nanoTime();
    ChunkStats stats = ChunkParsing.parse(chunk);
    metrics.chunkParsed(
        chunk.getFormat(),
        stats.getError() == null,
        chunk.getData().remaining(),
        System.nanoTime() - start);
    if (stats.getError() != null) {
      RecordMetadata source = context.recordMetadata().orElseThrow();
      context.forward(
          new Record<>(
              record.key(),
              new Parsed(null, chunks.encode(chunk)),
              record.timestamp(),
              DeadLetters.headers(
                  FailureClass.PARSE_ERROR.name(),
                  stats.getError(),
                  source.topic(),
                  source.partition(),
                  source.offset())));
    }
    context.forward(
        record
            .withKey(Keys.request(chunk.getJobId(), chunk.getUrl(), chunk.getRequestId()))
            .withValue(new Parsed(new UrlEvent(stats), null)));
  }
}
