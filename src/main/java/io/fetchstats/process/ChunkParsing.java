package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.ChunkStats;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.domain.Fields;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.ParseReport;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses chunks into exact per-field statistics, one at a time, reusing its accumulators from one
 * chunk to the next. Pure: no Kafka here.
 */
final class ChunkParsing {
  private static final Logger log = LoggerFactory.getLogger(ChunkParsing.class);

  // A chunk with more fields than its URL may have fails it without filling the heap.
  private final FieldCells fields = new FieldCells(Fields.MAX_FIELDS);

  /**
   * The chunk's statistics, with the error if its input broke off (broken JSON); if the parser
   * fails on it (a bug, or a format this version does not know), a record with the error instead,
   * so that the URL still completes, as a counted failure, and processing goes on.
   */
  ChunkStats parse(Chunk chunk) {
    try {
      return parseOrThrow(chunk);
    } catch (FieldCells.TooManyFieldsException e) {
      return failed(
          chunk, FailureClass.TOO_MANY_FIELDS, "the body holds statistics of " + e.getMessage());
    } catch (RuntimeException e) {
      log.error(
          "Cannot parse chunk {} of {} (request {})",
          chunk.getSeq(),
          chunk.getUrl(),
          chunk.getRequestId(),
          e);
      return failed(chunk, FailureClass.PARSE_ERROR, "could not be parsed: " + e);
    }
  }

  /** A chunk whose statistics are not kept, and why: its URL fails so. */
  private static ChunkStats failed(Chunk chunk, FailureClass failure, String why) {
    return new ChunkStats(
        chunk.getJobId(),
        chunk.getUrl(),
        chunk.getRequestId(),
        chunk.getSeq(),
        0L,
        0L,
        List.of(),
        "chunk " + chunk.getSeq() + ": " + why,
        failure.name(),
        chunk.getFetchId());
  }

  private ChunkStats parseOrThrow(Chunk chunk) {
    fields.clear();
    ByteBuffer data = chunk.getData();
    byte[] bytes;
    int offset;
    if (data.hasArray()) {
      bytes = data.array();
      offset = data.arrayOffset() + data.position();
    } else {
      bytes = new byte[data.remaining()];
      data.duplicate().get(bytes);
      offset = 0;
    }
    ParseReport report =
        Format.valueOf(chunk.getFormat())
            .parse(bytes, offset, data.remaining(), chunk.getHeader(), chunk.getSeq() == 0, fields);
    Fields stats = Fields.of(fields.snapshot());
    String tooMany = stats.tooMany();
    if (tooMany != null) {
      return failed(chunk, FailureClass.TOO_MANY_FIELDS, "the body holds " + tooMany);
    }
    return new ChunkStats(
        chunk.getJobId(),
        chunk.getUrl(),
        chunk.getRequestId(),
        chunk.getSeq(),
        report.rows(),
        report.raggedRows(),
        StatsCodec.toAvro(stats),
        // Broken input fails its URL with this reason, like a chunk that could not be parsed.
        report.error() == null ? null : "chunk " + chunk.getSeq() + ": " + report.error(),
        report.error() == null ? null : FailureClass.PARSE_ERROR.name(),
        chunk.getFetchId());
  }
}
