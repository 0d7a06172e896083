package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.kafka.InvalidTimestamps;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest result of every job and URL, materialised from the compacted results topics into
 * global stores: each instance holds them all, so any instance answers for any job. Values are kept
 * as published and decoded when read, so a record that is not a result costs its one answer only.
 */
public final class ResultsStore implements TimedCloseable, JobResults {
  private static final Logger log = LoggerFactory.getLogger(ResultsStore.class);

  public static final String JOB_RESULTS_STORE = "job-results-store";
  public static final String URL_RESULTS_STORE = "url-results-store";

  private final KafkaStreams streams;
  private final Metrics.Binding streamsMetrics;
  private final Duration stopTimeout;
  private final Topic<String, JobResult> jobs;
  private final Topic<String, UrlResult> urls;

  /** What {@link #jobs} decoded last, by job (guarded by this). */
  private Map<String, Summary> summaries = Map.of();

  private ResultsStore(
      KafkaStreams streams, Metrics.Binding streamsMetrics, Duration stopTimeout, Topics topics) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
    this.stopTimeout = stopTimeout;
    this.jobs = topics.jobResults();
    this.urls = topics.urlResults();
  }

  /** Starts materialising; {@link #isReady} says when the stores have caught up. */
  public static ResultsStore start(FetchStatsConfig config, Metrics metrics) {
    String applicationId = config.kafka().topicPrefix() + "results-store";
    Properties props = new Properties();
    props.putAll(config.kafka().properties());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(
        StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, InvalidTimestamps.class.getName());
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        config
            .dataDir()
            .resolve("results-store")
            .resolve(config.instanceId())
            .toAbsolutePath()
            .toString());
    // Results are written in transactions: show only committed ones.
    props.put(
        StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        "read_committed");
    Topics topics = Topics.of(config);
    KafkaStreams streams = new KafkaStreams(topology(topics), props);
    Metrics.Binding bound = metrics.bind(streams, applicationId);
    try {
      streams.start();
    } catch (RuntimeException e) {
      bound.close();
      streams.close(Duration.ofSeconds(10));
      throw e;
    }
    log.info(
        "Results store started: materialising {} and {}",
        topics.jobResults().name(),
        topics.urlResults().name());
    return new ResultsStore(streams, bound, config.stopTimeout(), topics);
  }

  /** Two global tables, one per results topic, their values kept as bytes. */
  public static Topology topology(Topics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    globalTable(builder, topics.jobResults().name(), "job-results-table", JOB_RESULTS_STORE);
    globalTable(builder, topics.urlResults().name(), "url-results-table", URL_RESULTS_STORE);
    return builder.build();
  }

  private static void globalTable(StreamsBuilder builder, String topic, String name, String store) {
    builder.globalTable(
        topic,
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name),
        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(Serdes.String())
            .withValueSerde(Serdes.ByteArray()));
  }

  /** The Kafka Streams client's state: the stores restore while it rebalances. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Whether the stores have caught up with the topics, so that answers are whole. */
  public boolean isReady() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  public Optional<JobResult> job(String jobId) {
    byte[] value = store(JOB_RESULTS_STORE).get(jobId);
    return value == null ? Optional.empty() : Optional.of(jobs.decode(value));
  }

  /**
   * The latest result of every job, without its fields and failures (a list shows neither). A job
   * whose stored result is unchanged since the last call is not decoded again: a page polling the
   * list would otherwise decode every job's statistics, megabytes for a job of many fields, each
   * time.
   */
  @Override
  public synchronized List<JobResult> jobs() {
    Map<String, Summary> seen = new HashMap<>();
    try (KeyValueIterator<String, byte[]> it = store(JOB_RESULTS_STORE).all()) {
      it.forEachRemaining(
          entry -> {
            long digest = Summary.digest(entry.value);
            Summary known = summaries.get(entry.key);
            if (known != null && known.digest() == digest) {
              seen.put(entry.key, known);
            } else {
              decoded(entry, jobs)
                  .ifPresent(job -> seen.put(entry.key, new Summary(digest, Summary.of(job))));
            }
          });
    }
    summaries = seen; // jobs no longer in the store are forgotten
    return seen.values().stream().map(Summary::job).toList();
  }

  /** A job's result as a list shows it, and a digest of the stored bytes it was decoded from. */
  private record Summary(long digest, JobResult job) {
    static JobResult of(JobResult job) {
      return JobResult.newBuilder(job).setFields(List.of()).setFailures(List.of()).build();
    }

    /** The length and two checksums of {@code value}: a changed result changes it. */
    static long digest(byte[] value) {
      CRC32C crc = new CRC32C();
      crc.update(value);
      return (crc.getValue() << 32) ^ Arrays.hashCode(value) ^ ((long) value.length << 48);
    }
  }

  /**
   * Up to {@code limit} URL results of the job that {@code filter} wants, in URL order, starting
   * after {@code afterUrl} (null: from the first), so that a client pages through a big job.
   */
  @Override
  public List<UrlResult> urls(String jobId, String afterUrl, int limit, UrlFilter filter) {
    String prefix = jobId + "|";
    ReadOnlyKeyValueStore<String, byte[]> store = store(URL_RESULTS_STORE);
    List<UrlResult> page = new ArrayList<>();
    // Keys sort by their UTF-8 bytes; the least key after prefix + afterUrl appends a NUL.
    try (KeyValueIterator<String, byte[]> it =
        afterUrl == null
            ? store.prefixScan(prefix, new StringSerializer())
            : store.range(prefix + afterUrl + '\0', null)) {
      while (it.hasNext() && page.size() < limit) {
        KeyValue<String, byte[]> entry = it.next();
        if (!entry.key.startsWith(prefix)) {
          break;
        }
        if (filter.matchesUrl(entry.key.substring(prefix.length()))) {
          decoded(entry, urls).filter(filter::matches).ifPresent(page::add);
        }
      }
    }
    return page;
  }

  private static <T> Optional<T> decoded(KeyValue<String, byte[]> entry, Topic<String, T> topic) {
    try {
      return Optional.of(topic.decode(entry.value));
    } catch (RuntimeException e) {
      log.warn("Skipping {}: not a result this version reads ({})", entry.key, e.getMessage());
      return Optional.empty();
    }
  }

  private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    if (!isReady()) {
      throw new InvalidStateStoreException("the results store is " + state());
    }
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
  }

  @Override
  public void close() {
    close(stopTimeout);
  }

  @Override
  public void close(Duration timeout) {
    boolean stopped = streams.close(timeout);
    streamsMetrics.close();
    if (!stopped) {
      // It only reads: the stores are built again from the topics at the next start.
      log.warn("The results store did not stop within {}", timeout);
    }
  }
}
