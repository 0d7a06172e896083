package io.fetchstats.process;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.InvalidTimestamps;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the process topology with exactly-once processing, one stream thread per core by default.
 */
public final class ProcessorApp implements TimedCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);

  private final KafkaStreams streams;
  private final Metrics.Binding streamsMetrics;
  private final Duration stopTimeout;

  private ProcessorApp(KafkaStreams streams, Metrics.Binding streamsMetrics, Duration stopTimeout) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
    this.stopTimeout = stopTimeout;
  }

  public static ProcessorApp start(FetchStatsConfig config, Metrics metrics) {
    return start(config, applicationId(config), metrics);
  }

  /**
   * Starts a processor under an application id of its own: with a new id, a group and state of its
   * own, which read the topics from their start (the pipeline benchmark times one so).
   */
  public static ProcessorApp start(FetchStatsConfig config, String applicationId, Metrics metrics) {
    AvroSerde.requireLengthLimits();
    Properties props = streamsProperties(config);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    KafkaStreams streams =
        new KafkaStreams(
            ProcessTopology.build(config, new ProcessMetrics(metrics.registry())), props);
    Metrics.Binding streamsMetrics = metrics.bind(streams, applicationId);
    streams.setUncaughtExceptionHandler(ProcessorApp::onStreamThreadError);
    try {
      streams.start();
    } catch (RuntimeException e) {
      streamsMetrics.close();
      streams.close(Duration.ofSeconds(10));
      throw e;
    }
    log.info("Processor started with {} stream threads", config.processing().streamThreads());
    return new ProcessorApp(streams, streamsMetrics, config.stopTimeout());
  }

  /**
   * A stream thread that died because Kafka was away is replaced: when a broker restart outlasts
   * the clients' timeouts (a minute), a send times out, the transaction can only abort, and Kafka
   * Streams can fail the commit of the other tasks for good ("Cannot execute transactional method
   * because we are in an error state"). The new thread takes the same transactional id, aborts what
   * the dead one left open and goes on from the last commit once Kafka is back. So is one whose
   * commit the restarted broker refused as out of its transaction's state (after a kill -9 of the
   * broker, the chaos suite saw InvalidTxnStateException): nothing of that transaction counts, and
   * the new thread starts from the last commit too. Any other error stops the processor, which
   * exits for a supervisor to see.
   */
  static StreamThreadExceptionResponse onStreamThreadError(Throwable error) {
    if (KafkaClients.timeoutBehind(error).isPresent()
        || KafkaClients.behind(error, InvalidTxnStateException.class).isPresent()) {
      log.warn(
          "A stream thread stopped while Kafka was unreachable or restarting; replacing it: {}",
          error.toString());
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    log.error("Processor stopped by an unexpected error", error);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  static Properties streamsProperties(FetchStatsConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka().properties());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config));
    KafkaClients.shortSession(props); // passed on to Streams' consumers
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.processing().streamThreads());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        config
            .dataDir()
            .resolve("streams")
            .resolve(config.instanceId())
            .toAbsolutePath()
            .toString());
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // The input topics are read as bytes and checked in the topology (ProcessInputs). A record of
    // an internal topic that is not valid Avro goes to dead-letters too (Kafka's own handler writes
    // to the topic ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME names), and so does one whose processing
    // throws (DeadLetterProcessingErrors); processing goes on.
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingErrors.class.getName());
    props.put(
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        Topics.of(config).deadLetters().name());
    // A write that fails is Kafka's trouble, never a record's: no dead letter for it.
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionErrors.class.getName());
    props.put(
        StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, InvalidTimestamps.class.getName());
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        KafkaClients.MAX_RECORD_BYTES);
    props.put(
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        String.valueOf(KafkaClients.MAX_RECORD_BYTES));
    return props;
  }

  public static String applicationId(FetchStatsConfig config) {
    return config.kafka().topicPrefix() + "process";
  }

  /** The Kafka Streams client's state: running, rebalancing, or stopped on its own or by close. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    close(stopTimeout);
  }

  @Override
  public void close(Duration timeout) {
    // Leaving the group lets a restarted or remaining instance take the tasks at once,
    // instead of after the session timeout.
    boolean stopped =
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    streamsMetrics.close();
    if (!stopped) {
      // Exactly-once holds: what its open transactions wrote is aborted when it starts again.
      log.warn("The processor did not stop within {}", timeout);
    }
  }
}
