package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.JobEvent;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.InputReader;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The process stage's Kafka Streams topology, a pure function of the configuration.
 *
 * <pre>
 * chunks  (Chunk)        ─ read-chunks ─ parse-chunk ─┬ (unparseable: a copy) ─ dead-letters
 *                                                      └──────────┐
 * fetches (FetchOutcome) ─ read-fetches ─ outcome-event ─────────┴ url-events (by jobId|url|requestId)
 *     ─ url-aggregator [url-aggregates] ─┬ first-listings ─ url-result-pacer ─ url-result ─ url-results (UrlResult, by jobId|url)
 *                                        └ completed-urls ─┐
 * jobs    (JobManifest)  ─ read-jobs ─ manifest-event ─────┤
 * cancellations (JobCancellation) ─ read-cancellations ─┴ job-events (repartition by jobId)
 *     ─ job-aggregator [job-aggregates, job-urls] ─ job-results (JobResult, by jobId)
 * </pre>
 *
 * The input topics are read as bytes: whatever a record holds, the read-* steps either decode it to
 * the record its writer keeps or send it to dead-letters with the reason (see {@link
 * ProcessInputs}), so that no record can stop the processor. Parsing is stateless and spreads over
 * every partition of the chunks topic, so one big file keeps every core busy; only the merging is
 * keyed.
 */
public final class ProcessTopology {
  public static final String URL_STORE = "url-aggregates";
  public static final String JOB_STORE = "job-aggregates";

  /** The first request counted of each URL of a job (jobId|canonical URL to request id). */
  public static final String JOB_URL_STORE = "job-urls";

  /**
   * A URL's result is published when it completes, and before that at most once this interval (see
   * {@link UrlResultPacer}).
   */
  public static final Duration URL_RESULT_INTERVAL = Duration.ofSeconds(1);

  /**
   * A running job's result is published at most once this interval (at once if the last was an
   * interval ago), and at once when the job completes (see {@link JobAggregator}); half a second,
   * so that a reader sees a running job move at least once a second, commits and polls between
   * punctuations included.
   */
  public static final Duration JOB_RESULT_INTERVAL = Duration.ofMillis(500);

  private ProcessTopology() {}

  /** The topology; its processors count what they do in {@code metrics}. */
  public static Topology build(FetchStatsConfig config, ProcessMetrics metrics) {
    Topics topics = Topics.of(config);
    Serde<String> keys = Serdes.String();
    StreamsBuilder builder = new StreamsBuilder();

    // Timestamped: the aggregators publish with the latest timestamp of what they merged. Cached:
    // an aggregate is rewritten for each chunk or URL merged into it (a job's, tens of KB when its
    // fields hold thousands of distinct values), and the cache writes it to RocksDB and the
    // changelog once a commit instead of each time (JFR: those copies were most of what a job of
    // many URLs allocated).
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(URL_STORE),
                keys,
                AggregateCodec.urlAggregates())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(JOB_STORE),
                keys,
                AggregateCodec.jobAggregates())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(JOB_URL_STORE), keys, Serdes.String()));

    Topic<byte[], byte[]> deadLetters = topics.deadLetters();
    KStream<String, Chunk> chunks =
        read(builder, topics.chunks(), "chunks", ProcessInputs.chunks(), metrics, deadLetters);
    // One parsing (and its kept accumulators) per stream thread, not per task: a thread runs its
    // tasks one at a time, and an instance may have many tasks.
    ThreadLocal<ChunkParsing> parsings = ThreadLocal.withInitial(ChunkParsing::new);
    KStream<String, UrlEvent> chunkEvents =
        valuesOf(
            chunks.process(
                () -> new ChunkParser(topics.chunks(), metrics, parsings::get),
                Named.as("parse-chunk")),
            "parsed-chunk",
            deadLetters);
    KStream<String, UrlEvent> outcomeEvents =
        read(builder, topics.fetches(), "fetches", ProcessInputs.fetches(), metrics, deadLetters)
            .map(
                (key, outcome) ->
                    KeyValue.pair(
                        Keys.request(outcome.getJobId(), outcome.getUrl(), outcome.getRequestId()),
                        new UrlEvent(outcome)),
                Named.as("outcome-event"));

    KStream<String, UrlProgress> urlProgress =
        chunkEvents
            .merge(outcomeEvents, Named.as("merge-url-events"))
            .repartition(
                Repartitioned.with(keys, AvroSerde.of(UrlEvent.class)).withName("url-events"))
            .process(() -> new UrlAggregator(URL_STORE), Named.as("url-aggregator"), URL_STORE);

    urlProgress
        // A URL listed again in its job has its result under its first listing already.
        .filterNot(
            (key, progress) -> progress.aggregate().isDuplicate(), Named.as("first-listings"))
        .processValues(() -> new UrlResultPacer(URL_RESULT_INTERVAL), Named.as("url-result-pacer"))
        .mapValues(UrlResults::of, Named.as("url-result"))
        .to(topics.urlResults().name(), topics.urlResults().produced("url-results-sink"));

    KStream<String, JobEvent> completedUrls =
        urlProgress
            .filter((key, progress) -> progress.completedNow(), Named.as("completed-urls"))
            .map(
                (key, progress) ->
                    KeyValue.pair(
                        progress.aggregate().jobId(),
                        new JobEvent(AggregateCodec.toAvro(progress.aggregate()))),
                Named.as("completed-url-event"));
    KStream<String, JobEvent> manifests =
        read(builder, topics.jobs(), "jobs", ProcessInputs.jobs(), metrics, deadLetters)
            .map(
                (key, manifest) -> KeyValue.pair(manifest.getJobId(), new JobEvent(manifest)),
                Named.as("manifest-event"));

    KStream<String, JobEvent> cancellations =
        read(
                builder,
                topics.cancellations(),
                "cancellations",
                ProcessInputs.cancellations(),
                metrics,
                deadLetters)
            .map(
                (key, cancellation) ->
                    KeyValue.pair(cancellation.getJobId(), new JobEvent(cancellation)),
                Named.as("cancellation-event"));

    completedUrls
        .merge(manifests, Named.as("merge-job-events"))
        .merge(cancellations, Named.as("merge-cancellations"))
        .repartition(Repartitioned.with(keys, AvroSerde.of(JobEvent.class)).withName("job-events"))
        .process(
            () ->
                new JobAggregator(
                    JOB_STORE,
                    JOB_URL_STORE,
                    config.processing().maxFailuresListed(),
                    JOB_RESULT_INTERVAL,
                    metrics),
            Named.as("job-aggregator"),
            JOB_STORE,
            JOB_URL_STORE)
        .to(topics.jobResults().name(), topics.jobResults().produced("job-results-sink"));

    return builder.build();
  }

  /**
   * The records of an input topic that can be processed; the others go to {@code deadLetters} (see
   * {@link ReadInput}).
   */
  private static <T extends SpecificRecord> KStream<String, T> read(
      StreamsBuilder builder,
      Topic<String, T> topic,
      String name,
      InputReader<T> reader,
      ProcessMetrics metrics,
      Topic<byte[], byte[]> deadLetters) {
    return valuesOf(
        builder.stream(
                topic.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
            .process(() -> new ReadInput<>(reader, metrics), Named.as("read-" + name)),
        "read-" + name,
        deadLetters);
  }

  /**
   * The values of {@code routed}; its dead letters go to {@code deadLetters}, by a sink of their
   * own (one merged sink would join every sub-topology into one).
   */
  private static <T> KStream<String, T> valuesOf(
      KStream<String, Routed<T>> routed, String name, Topic<byte[], byte[]> deadLetters) {
    Map<String, KStream<String, Routed<T>>> branches =
        routed
            .split(Named.as(name + "-"))
            .branch((key, value) -> value.isDead(), Branched.as("dead"))
            .defaultBranch(Branched.as("ok"));
    branches
        .get(name + "-dead")
        .mapValues(Routed::deadLetter, Named.as(name + "-dead-letter"))
        .process(DeadLetterRecords::new, Named.as(name + "-dead-letter-record"))
        .to(deadLetters.name(), deadLetters.produced(name + "-dead-letters-sink"));
    return branches.get(name + "-ok").mapValues(Routed::value, Named.as(name + "-value"));
  }
}
