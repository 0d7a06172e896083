package io.fetchstats.bench;

import io.fetchstats.kafka.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own producer benchmark, {@code ProducerPerformance} of kafka-tools, run in this JVM
 * against a topic of its own: what a plain producer writes to the broker a second, the reference
 * the pipeline's rate is compared to.
 *
 * <p>Its producer is set as the ingest stage's is ({@code acks=all}, idempotent, {@code
 * linger.ms=5}, the pipeline's 8 MiB request limit), but sends without transactions (the stage
 * commits one per batch of URLs) and its records have no key.
 */
final class ProducerReference {
  /** The summary line, e.g. "4096 records sent, 402.2 records/sec (100.55 MB/sec), ...". */
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(?m)^(\\d+) records sent, ([0-9]+(?:[.,][0-9]+)?) records/sec \\(.*99\\.9th\\.$");

  private final String bootstrapServers;
  private final String topic;

  /**
   * Fails unless Kafka's ProducerPerformance (kafka-tools) is on the class path: the distribution
   * leaves it out, as only this benchmark needs it.
   */
  static void requireAvailable() {
    try {
      Class.forName("org.apache.kafka.tools.ProducerPerformance");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "bench pipeline measures against Kafka's ProducerPerformance (kafka-tools), which the"
              + " distribution leaves out: run it from a build of the repository (./mvnw package,"
              + " then java -jar target/fetchstats.jar bench pipeline)");
    }
  }

  private ProducerReference(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /** Creates {@code topic} (if missing) with {@code partitions} and the pipeline's record limit. */
  static ProducerReference on(String bootstrapServers, String topic, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                              String.valueOf(KafkaClients.MAX_RECORD_BYTES)))))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create the topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + topic, e);
    }
    return new ProducerReference(bootstrapServers, topic);
  }

  /** The producer properties given to ProducerPerformance, as its {@code --producer-props}. */
  List<String> producerProps() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(KafkaClients.MAX_RECORD_BYTES));
    return props.stringPropertyNames().stream()
        .sorted()
        .map(name -> name + "=" + props.getProperty(name))
        .toList();
  }

  /**
   * Sends {@code records} of {@code recordBytes} each as fast as it can and returns the rate its
   * summary line gives, in MB (10^6 bytes) a second: its records a second times the record size.
   */
  double megabytesPerSecond(int recordBytes, long records) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--topic",
                topic,
                "--num-records",
                String.valueOf(records),
                "--record-size",
                String.valueOf(recordBytes),
                "--throughput",
                "-1",
                "--producer-props"));
    args.addAll(producerProps());
    String output = captureStandardOutput(args.toArray(String[]::new));
    Matcher summary = SUMMARY.matcher(output);
    if (!summary.find() || Long.parseLong(summary.group(1)) != records) {
      throw new IllegalStateException("unexpected ProducerPerformance output: " + output.strip());
    }
    double recordsPerSecond = Double.parseDouble(summary.group(2).replace(',', '.'));
    return recordsPerSecond * recordBytes / 1e6;
  }

  /** Runs ProducerPerformance, which reports on {@code System.out}; returns what it printed. */
  private static synchronized String captureStandardOutput(String[] args) {
    PrintStream before = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      ProducerPerformance.main(args);
    } catch (Exception e) {
      throw new IllegalStateException("ProducerPerformance failed", e);
    } finally {
      System.setOut(before);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
