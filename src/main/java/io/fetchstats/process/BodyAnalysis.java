package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.JobAggregate;
import io.fetchstats.domain.JobTerms;
import io.fetchstats.domain.UrlAggregate;
import io.fetchstats.parse.Format;
import java.nio.ByteBuffer;

/**
 * What the pipeline would publish for one body, computed without Kafka: its chunks parsed as the
 * stream threads parse them, merged as its URL's aggregate is, and its result shown as that of a
 * job of this one URL. Pure: the chunks and the outcome come from the caller (ingest's reading of a
 * file, a request, or a fetch). Single-threaded.
 */
public final class BodyAnalysis {
  /** The request id and fetch id of the one request: any, as long as chunks and outcome agree. */
  public static final String REQUEST = "0";

  public static final long FETCH = 0L;

  private final String name;
  private final ChunkParsing parsing = new ChunkParsing();
  private UrlAggregate aggregate;

  /** {@code name} names the body (a file, a URL) where a job id and URL would. */
  public BodyAnalysis(String name) {
    this.name = name;
    this.aggregate = UrlAggregate.empty(name, name, REQUEST, FETCH);
  }

  public String name() {
    return name;
  }

  /** Counts the body's next chunk, as ingest cut it. */
  public void chunk(int seq, Format format, String header, byte[] data) {
    Chunk chunk =
        new Chunk(name, name, REQUEST, seq, format.name(), header, ByteBuffer.wrap(data), FETCH);
    aggregate = aggregate.merge(AggregateCodec.event(new UrlEvent(parsing.parse(chunk))));
  }

  /**
   * The body's result once it was read whole (or failed): {@code outcome} says how reading it went,
   * as ingest's outcome of a fetch does (see {@code FetchResult.outcome}), and with the cells
   * decides whether it succeeded.
   */
  public JobResult result(FetchOutcome outcome) {
    UrlAggregate done = aggregate.merge(AggregateCodec.event(new UrlEvent(outcome)));
    // The job aggregator's own merge and result, so that the body gets what its job would.
    return JobAggregator.toResult(
        JobAggregate.ofManifest(name, 1, JobTerms.NONE).merge(JobAggregate.ofUrl(done, false), 1),
        null);
  }
}
