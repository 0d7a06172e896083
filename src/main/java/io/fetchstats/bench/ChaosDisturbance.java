package io.fetchstats.bench;

import io.fetchstats.bench.ChaosBenchmark.Scenario;
import io.fetchstats.bench.ChaosBenchmark.Settings;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Disturbs a {@link ChaosCluster} as a {@link Scenario} says: kills (or stops) the nodes it names,
 * keeps a broker away for the settings' downtime, and starts them again at once, as a supervisor
 * would.
 */
final class ChaosDisturbance {
  private final ChaosCluster cluster;
  private final FetchStatsConfig config;
  private final Settings settings;
  private final PrintWriter progress;

  /**
   * @param config the harness's own, on the cluster's broker: to ask the consumer group
   */
  ChaosDisturbance(
      ChaosCluster cluster, FetchStatsConfig config, Settings settings, PrintWriter progress) {
    this.cluster = cluster;
    this.config = config;
    this.settings = settings;
    this.progress = progress;
  }

  /** Disturbs the cluster while job {@code jobId} has {@code done} URLs done. */
  void disturb(Scenario scenario, String jobId, int done) {
    ChaosCluster.Node processor = cluster.node("process-1");
    ChaosCluster.Node broker = cluster.node("broker");
    List<ChaosCluster.Node> killed =
        switch (scenario) {
          case KILL_INGEST -> List.of(busyIngest(jobId));
          case KILL_PROCESSOR -> List.of(processor);
          case KILL_BOTH -> List.of(busyIngest(jobId), processor);
          case BROKER_STOP, BROKER_KILL -> List.of(broker);
          case UNDISTURBED -> List.of();
        };
    ChaosCluster.tell(
        progress,
        "%s: %d of %d URLs done: %s %s",
        scenario.label(),
        done,
        settings.urls(),
        scenario == Scenario.BROKER_STOP ? "stopping" : "killing",
        String.join(" and ", killed.stream().map(ChaosCluster.Node::name).toList()));
    for (ChaosCluster.Node node : killed) {
      if (scenario == Scenario.BROKER_STOP) {
        cluster.stop(node);
      } else {
        cluster.kill(node);
      }
    }
    if (killed.contains(broker) && !settings.brokerDowntime().isZero()) {
      ChaosCluster.tell(
          progress, "the broker stays away for %d s", settings.brokerDowntime().toSeconds());
      pause(settings.brokerDowntime());
    }
    // Started again at once, as a supervisor would.
    cluster.start(killed);
  }

  /** The broker's downtime: the scenario, not a wait for anything. */
  private static void pause(Duration downtime) {
    try {
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the broker was away", e);
    }
  }

  /**
   * The ingest whose partition of the urls topic holds the job (all its URLs share its key), as the
   * consumer group says: the member's client id ends with its process id (see IngestIdentity).
   */
  private ChaosCluster.Node busyIngest(String jobId) {
    int partition =
        Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8)))
            % ChaosCluster.PARTITIONS;
    Topics topics = Topics.of(config);
    TopicPartition urls = new TopicPartition(topics.urls().name(), partition);
    String group = IngestService.groupId(topics);
    try (Admin admin = Admin.create(KafkaClients.common(config))) {
      return Waits.until(
          "the ingest assigned " + urls,
          ChaosBenchmark.HARNESS_TIMEOUT,
          () ->
              members(admin, group).stream()
                  .filter(member -> member.assignment().topicPartitions().contains(urls))
                  .map(
                      member -> member.clientId().substring(member.clientId().lastIndexOf(':') + 1))
                  .flatMap(pid -> cluster.nodeWithPid(Long.parseLong(pid)).stream())
                  .findFirst());
    }
  }

  private static List<MemberDescription> members(Admin admin, String group) {
    try {
      return List.copyOf(
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(ChaosBenchmark.HARNESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .members());
    } catch (ExecutionException | TimeoutException e) {
      return List.of(); // asked again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
