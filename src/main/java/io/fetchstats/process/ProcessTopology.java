package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobAggregate;
import io.fetchstats.avro.JobEvent;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.Keys;
import io.fetchstats.config.Topics;
import io.fetchstats.kafka.AvroSerde;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The process stage's Kafka Streams topology, a pure function of the configuration.
 *
 * <pre>
 * chunks  (Chunk)        ─ parse-chunk ─┬ (unparseable: a copy) ─ dead-letters
 *                                        └ chunk-event ─┐
 * fetches (FetchOutcome) ─ outcome-event ─────────────┴ url-events (by jobId|url|requestId)
 *     ─ url-aggregator [url-aggregates] ─┬ first-listings ─ url-result-pacer ─ url-result ─ url-results (UrlResult, by jobId|url)
 *                                        └ completed-urls ─┐
 * jobs    (JobManifest)  ─ manifest-event ─────────────────┴ job-events (repartition by jobId)
 *     ─ job-aggregator [job-aggregates, job-urls] ─ job-results (JobResult, by jobId)
 * </pre>
 *
 * Parsing is stateless and spreads over every partition of the chunks topic, so one big file keeps
 * every core busy; only the merging is keyed.
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

  private ProcessTopology() {}

  /** The topology; its processors count what they do in {@code metrics}. */
  public static Topology build(FetchStatsConfig config, ProcessMetrics metrics) {
    Topics topics = config.topics();
    Serde<String> keys = Serdes.String();
    StreamsBuilder builder = new StreamsBuilder();

    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(URL_STORE), keys, AvroSerde.of(UrlAggregate.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(JOB_STORE), keys, AvroSerde.of(JobAggregate.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(JOB_URL_STORE), keys, Serdes.String()));

    Map<String, KStream<String, ChunkParser.Parsed>> parsed =
        builder.stream(
                topics.chunks(),
                Consumed.with(keys, AvroSerde.of(Chunk.class)).withName("chunks-source"))
            .process(() -> new ChunkParser(metrics), Named.as("parse-chunk"))
            .split(Named.as("parsed-chunk-"))
            .branch(
                (key, chunk) -> chunk.isDeadLetter(),
                Branched.withConsumer(
                    failed ->
                        failed
                            .mapValues(ChunkParser.Parsed::deadLetter, Named.as("dead-letter"))
                            .to(
                                topics.deadLetters(),
                                Produced.with(keys, Serdes.ByteArray())
                                    .withName("chunk-dead-letters-sink")),
                    "failed"))
            .defaultBranch(Branched.as("ok"));
    KStream<String, UrlEvent> chunkEvents =
        parsed.get("parsed-chunk-ok").mapValues(ChunkParser.Parsed::event, Named.as("chunk-event"));
    KStream<String, UrlEvent> outcomeEvents =
        builder.stream(
                topics.fetches(),
                Consumed.with(keys, AvroSerde.of(FetchOutcome.class)).withName("fetches-source"))
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
            (key, progress) -> UrlResults.isDuplicate(progress.aggregate()),
            Named.as("first-listings"))
        .processValues(() -> new UrlResultPacer(URL_RESULT_INTERVAL), Named.as("url-result-pacer"))
        .mapValues(UrlResults::of, Named.as("url-result"))
        .to(
            topics.urlResults(),
            Produced.with(keys, AvroSerde.of(UrlResult.class)).withName("url-results-sink"));

    KStream<String, JobEvent> completedUrls =
        urlProgress
            .filter((key, progress) -> progress.completedNow(), Named.as("completed-urls"))
            .map(
                (key, progress) ->
                    KeyValue.pair(
                        progress.aggregate().getJobId(), new JobEvent(progress.aggregate())),
                Named.as("completed-url-event"));
    KStream<String, JobEvent> manifests =
        builder.stream(
                topics.jobs(),
                Consumed.with(keys, AvroSerde.of(JobManifest.class)).withName("jobs-source"))
            .map(
                (key, manifest) -> KeyValue.pair(manifest.getJobId(), new JobEvent(manifest)),
                Named.as("manifest-event"));

    completedUrls
        .merge(manifests, Named.as("merge-job-events"))
        .repartition(Repartitioned.with(keys, AvroSerde.of(JobEvent.class)).withName("job-events"))
        .process(
            () -> new JobAggregator(JOB_STORE, JOB_URL_STORE, config.maxFailuresListed(), metrics),
            Named.as("job-aggregator"),
            JOB_STORE,
            JOB_URL_STORE)
        .to(
            topics.jobResults(),
            Produced.with(keys, AvroSerde.of(JobResult.class)).withName("job-results-sink"));

    return builder.build();
  }
}
