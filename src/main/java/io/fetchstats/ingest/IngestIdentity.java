package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.GroupStatus;
import io.fetchstats.kafka.KafkaClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an ingest instance id to one live process across hosts. Starting, an ingest producer fences
 * whichever producer had its transactional id: right after a crash that is the point (it aborts
 * what the dead one left open), but against a live instance it would stop the established one for
 * the newcomer's sake. So before it starts, an ingest looks for a member of its consumer group
 * under the same instance id (the consumer's client id names the id, host and process) and refuses
 * to start while that member is alive. A member of a process that died (kill -9) stays in the group
 * until its session times out: on this host a dead process id tells at once; from another host the
 * newcomer waits out one session before it decides.
 */
final class IngestIdentity {
  private static final Logger log = LoggerFactory.getLogger(IngestIdentity.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final String instanceId;
  private final String host;
  private final long pid;

  private IngestIdentity(String instanceId, String host, long pid) {
    this.instanceId = instanceId;
    this.host = host;
    this.pid = pid;
  }

  static IngestIdentity ofThisProcess(String instanceId) {
    return new IngestIdentity(instanceId, hostName(), ProcessHandle.current().pid());
  }

  /** The consumer's client id: the instance id, then where it runs. */
  String clientId() {
    return "fetchstats-ingest-" + instanceId + "@" + host + ":" + pid;
  }

  /**
   * Returns once no other live process is a member of {@code groupId} under this instance id.
   *
   * @throws IllegalStateException if one is
   */
  void requireUnused(FetchStatsConfig config, String groupId) {
    Duration session = KafkaClients.sessionTimeout(config);
    long deadline = System.nanoTime() + session.plus(POLL.multipliedBy(4)).toNanos();
    try (Admin admin = Admin.create(KafkaClients.common(config))) {
      boolean waiting = false;
      while (true) {
        Optional<MemberDescription> other = otherMember(admin, groupId, config.kafka().timeout());
        if (other.isEmpty()) {
          return;
        }
        if (System.nanoTime() - deadline > 0 || sameHostAlive(other.get())) {
          throw new IllegalStateException(
              "instance id "
                  + instanceId
                  + " is in use by a running ingest ("
                  + whereItRuns(other.get())
                  + ", a member of Kafka group "
                  + groupId
                  + "); give each process its own --instance-id, or leave it unset");
        }
        if (!waiting) {
          log.info(
              "Instance id {} is still a member of group {}: waiting up to {} s for that"
                  + " session to end",
              instanceId,
              groupId,
              session.toSeconds());
          waiting = true;
        }
        Thread.sleep(POLL.toMillis()); // polling the group: nothing to wait on but time
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the instance id", e);
    }
  }

  /** A member under this instance id that is not a dead process of this host, if any. */
  private Optional<MemberDescription> otherMember(Admin admin, String groupId, Duration timeout)
      throws InterruptedException {
    List<MemberDescription> members =
        GroupStatus.describe(admin, groupId, timeout).stream()
            .flatMap(group -> group.members().stream())
            .toList();
    return members.stream()
        .filter(member -> member.clientId().startsWith(clientIdPrefix()))
        .filter(member -> !sameHostDead(member))
        .findFirst();
  }

  private String clientIdPrefix() {
    return "fetchstats-ingest-" + instanceId + "@";
  }

  private boolean sameHostAlive(MemberDescription member) {
    return pidOnThisHost(member)
        .map(p -> p != pid && ProcessHandle.of(p).isPresent())
        .orElse(false);
  }

  /**
   * Whether the member was a process of this host that has ended, or had this process's id (an
   * earlier run in a container, where every run is process 1): this one has not joined yet.
   */
  private boolean sameHostDead(MemberDescription member) {
    return pidOnThisHost(member).map(p -> p == pid || ProcessHandle.of(p).isEmpty()).orElse(false);
  }

  /** "process P on host H", as the member's client id says. */
  private String whereItRuns(MemberDescription member) {
    String where = member.clientId().substring(clientIdPrefix().length());
    int colon = where.lastIndexOf(':');
    return colon < 0
        ? where
        : "process " + where.substring(colon + 1) + " on host " + where.substring(0, colon);
  }

  /** The process id of a member that runs on this host. */
  private Optional<Long> pidOnThisHost(MemberDescription member) {
    String where = member.clientId().substring(clientIdPrefix().length());
    int colon = where.lastIndexOf(':');
    if (colon < 0 || !where.substring(0, colon).equals(host)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(where.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
