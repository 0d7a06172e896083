package io.fetchstats.kafka;

import io.fetchstats.config.DirectoryLock;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.KafkaSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

  private static final String LOCK_FILE = "broker.lock";
  private static final String PORT_FILE = "broker-port";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final DirectoryLock lock;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, DirectoryLock lock) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.lock = lock;
  }

  /**
   * Claims the data dir and starts the broker on loopback: on {@code port}, or with 0 on the port
   * remembered in the data dir ({@value FetchStatsConfig#DEFAULT_BROKER_PORT} at the first start
   * when it is free, else a free one), so that its address stays the same across restarts.
   *
   * @throws IllegalStateException if another process uses the data dir or the port is taken
   */
  public static EmbeddedKafka start(Path directory, int port) {
    return start(claim(directory, port, Optional.empty()));
  }

  /**
   * As {@link #start(Path, int)}, with clients served over SASL_SSL only; its user is created when
   * the directory is formatted, so give a new directory.
   */
  public static EmbeddedKafka start(Path directory, int port, BrokerSecurity security) {
    return start(claim(directory, port, Optional.of(security)));
  }

  private static EmbeddedKafka start(Claim claim) {
    try {
      return claim.start();
    } catch (RuntimeException e) {
      claim.close();
      throw e;
    }
  }

  /**
   * Takes the data dir's lock and checks the port, before anything touches the log (a second broker
   * on it rewrites its metadata under the first): a process can check the rest of what it needs
   * before it starts the broker.
   *
   * @throws IllegalStateException if another process uses the data dir or the port is taken
   */
  public static Claim claim(Path directory, int port) {
    return claim(directory, port, Optional.empty());
  }

  private static Claim claim(Path directory, int port, Optional<BrokerSecurity> security) {
    DirectoryLock.Result claimed = DirectoryLock.tryAcquire(directory.resolve(LOCK_FILE));
    DirectoryLock lock =
        claimed
            .acquired()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "data dir "
                            + directory
                            + " is in use by "
                            + claimed.holder()
                            + "; stop that one first, or give this one another --data-dir"));
    try {
      return new Claim(
          directory.toAbsolutePath().resolve("kafka-log"),
          brokerPort(directory, port),
          security,
          lock);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot prepare the embedded broker in " + directory, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** A data dir locked for a broker and the port it is to listen on; closing gives them up. */
  public static final class Claim implements AutoCloseable {
    private final Path logDir;
    private final int port;
    private final Optional<BrokerSecurity> security;
    private final DirectoryLock lock;
    private boolean started;

    private Claim(Path logDir, int port, Optional<BrokerSecurity> security, DirectoryLock lock) {
      this.logDir = logDir;
      this.port = port;
      this.security = security;
      this.lock = lock;
    }

    /** Formats the log on first use and starts the broker, which then holds the lock. */
    public synchronized EmbeddedKafka start() {
      try {
        Files.createDirectories(logDir);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
          format(logDir, security);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the embedded broker in " + logDir, e);
      }
      KafkaRaftServer server =
          new KafkaRaftServer(
              new KafkaConfig(brokerProperties(logDir, port, anyFreePort(), security)),
              Time.SYSTEM);
      server.startup();
      String bootstrap = "localhost:" + port;
      log.info("Embedded Kafka broker running at {} (data in {})", bootstrap, logDir);
      started = true;
      return new EmbeddedKafka(server, bootstrap, lock);
    }

    /** Gives the data dir up, unless the broker started: then the broker holds it until closed. */
    @Override
    public synchronized void close() {
      if (!started) {
        lock.close();
      }
    }
  }

  /**
   * The port to listen on, remembered in the data dir; fails at once when it is taken, rather than
   * deep in the broker's start or silently on another port (an exported address would go stale).
   */
  private static int brokerPort(Path directory, int requested) throws IOException {
    Path remembered = directory.resolve(PORT_FILE);
    int port = requested;
    if (port == 0 && Files.exists(remembered)) {
      port = Integer.parseInt(Files.readString(remembered, StandardCharsets.US_ASCII).strip());
    } else if (port == 0) {
      port =
          isFree(KafkaSettings.DEFAULT_BROKER_PORT)
              ? KafkaSettings.DEFAULT_BROKER_PORT
              : anyFreePort();
    }
    if (!isFree(port)) {
      throw new IllegalStateException(
          "the embedded broker's port "
              + port
              + (requested == 0 ? " (remembered in " + remembered + ")" : "")
              + " is taken by another program; stop it, or set --broker-port");
    }
    Files.writeString(remembered, port + "\n", StandardCharsets.US_ASCII);
    return port;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      lock.close();
    }
  }

  private static void format(Path logDir, Optional<BrokerSecurity> security) {
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
          .setScramArguments(security.map(BrokerSecurity::scramArguments).orElse(List.of()))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the embedded broker's log in " + logDir, e);
    }
  }

  private static Properties brokerProperties(
      Path logDir, int brokerPort, int controllerPort, Optional<BrokerSecurity> security) {
    // One listener for clients and for the broker itself, named after its protocol.
    String listener = security.isPresent() ? BrokerSecurity.LISTENER : "PLAINTEXT";
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.put(
        "listeners",
        listener + "://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", listener + "://localhost:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", listener);
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
    security.ifPresent(s -> p.putAll(s.brokerProperties()));
    return p;
  }

  /** A loopback port free now (for a broker of tests and benchmarks, which must not take 9092). */
  public static int anyFreePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** Whether a server could listen on {@code port} of loopback now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // As the broker binds: connections of an earlier run in TIME_WAIT do not make it busy.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
