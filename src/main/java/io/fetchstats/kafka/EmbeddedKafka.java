package io.fetchstats.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (broker and controller in one) running in this JVM, with its log under
 * a directory that survives restarts: the default when no bootstrap servers are given.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats {@code directory} on first use, then starts the broker on free loopback ports. */
  public static EmbeddedKafka start(Path directory) {
    Path logDir = directory.toAbsolutePath().resolve("kafka-log");
    try {
      Files.createDirectories(logDir);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(logDir);
      }
      int brokerPort = freePort();
      int controllerPort = freePort();
      KafkaRaftServer server =
          new KafkaRaftServer(
              new KafkaConfig(brokerProperties(logDir, brokerPort, controllerPort)), Time.SYSTEM);
      server.startup();
      String bootstrap = "localhost:" + brokerPort;
      log.info("Embedded Kafka broker running at {} (data in {})", bootstrap, logDir);
      return new EmbeddedKafka(server, bootstrap);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded broker in " + logDir, e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static void format(Path logDir) {
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the embedded broker's log in " + logDir, e);
    }
  }

  private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: every internal topic has one replica, or consumers and Streams never start.
    // TopicAdmin creates these two topics before any client asks for them (see InternalTopics).
    String replicas = String.valueOf(InternalTopics.REPLICATION_FACTOR);
    String partitions = String.valueOf(InternalTopics.PARTITIONS);
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", partitions);
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", String.valueOf(InternalTopics.MIN_IN_SYNC_REPLICAS));
    p.put("transaction.state.log.num.partitions", partitions);
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A producer's first write in a transaction waits while its previous transaction's markers are
    // being written: the broker retries every 20 ms, by default for 100 ms, then fails the write
    // back (CONCURRENT_TRANSACTIONS). Sharing this JVM's cores with the processor and ingest, the
    // markers took up to 400 ms. Failed back, the write is retried, but the producer warns, and the
    // next request on its connection (read once this one is answered) starts at a later sequence
    // number, which transactions v2 refuses before sequence 0: the broker logs an ERROR
    // (OutOfOrderSequenceException) and the producer warns again. Waiting up to 10 s (within the
    // 30 s request timeout), the first write is answered once it is written.
    p.put("add.partitions.to.txn.retry.backoff.max.ms", "10000");
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
