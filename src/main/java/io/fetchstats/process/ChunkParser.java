package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses each chunk into its statistics, keyed by its request. A chunk that cannot be parsed still
 * counts (its URL fails with PARSE_ERROR, so the job completes), and a copy of it goes to
 * dead-letters with the reason and where it came from.
 */
final class ChunkParser implements Processor<String, Chunk, String, Routed<UrlEvent>> {
  private final Topic<String, Chunk> chunks;
  private final ProcessMetrics metrics;
  private final Supplier<ChunkParsing> parsing;
  private ProcessorContext<String, Routed<UrlEvent>> context;

  /**
   * {@code chunks} encodes a chunk again for its dead letter; {@code parsing} gives the calling
   * thread's parsing.
   */
  ChunkParser(Topic<String, Chunk> chunks, ProcessMetrics metrics, Supplier<ChunkParsing> parsing) {
    this.chunks = chunks;
    this.metrics = metrics;
    this.parsing = parsing;
  }

  @Override
  public void init(ProcessorContext<String, Routed<UrlEvent>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Chunk> record) {
    Chunk chunk = record.value();
    long start = System.nanoTime();
    ChunkStats stats = parsing.get().parse(chunk);
    metrics.chunkParsed(
        chunk.getFormat(),
        stats.getError() == null,
        chunk.getData().remaining(),
        System.nanoTime() - start);
    // A chunk the parser failed on is copied to dead-letters; one that is only too wide is not.
    if (FailureClass.PARSE_ERROR.name().equals(stats.getErrorClass())) {
      metrics.deadLetter();
      RecordMetadata source = context.recordMetadata().orElseThrow();
      context.forward(
          record.withValue(
              Routed.dead(
                  DeadLetters.letter(
                      record.key().getBytes(StandardCharsets.UTF_8),
                      chunks.encode(chunk),
                      FailureClass.PARSE_ERROR.name(),
                      stats.getError(),
                      source.topic(),
                      source.partition(),
                      source.offset()))));
    }
    context.forward(
        record
            .withKey(Keys.request(chunk.getJobId(), chunk.getUrl(), chunk.getRequestId()))
            .withValue(Routed.of(new UrlEvent(stats))));
  }
}
