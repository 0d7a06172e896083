package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.GroupStatus;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import io.fetchstats.process.ProcessorApp;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Whether Kafka answers, the topics, each stage's instances and lag, the jobs running.",
      "The topics with their partitions; each stage's instances (the members of its group) and"
          + " lag (offsets not yet consumed, as kafka-consumer-groups counts them: a transaction's"
          + " commit marker may count one); the jobs running, from job-results.",
      "Exit codes: 0 all present, 1 a topic is missing or a stage has no instance."
    })
final class StatusCommand implements Callable<Integer> {
  /** Running jobs listed by name; the rest are counted. */
  static final int LISTED_JOBS = 10;

  @Mixin KafkaOptions kafka;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    kafka.requireExternal(spec);
    FetchStatsConfig config = ConfigPart.config(kafka);
    Topics topics = Topics.of(config);
    PrintWriter out = spec.commandLine().getOut();
    boolean healthy = true;
    boolean results;
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.requireReachable();
      out.printf("Kafka at %s: %s%n", config.kafka().bootstrapServers(), admin.cluster());

      Map<String, TopicDescription> described = admin.describe();
      results = described.containsKey(topics.jobResults().name());
      out.println("Topics:");
      for (Topics.Definition topic : topics.definitions()) {
        TopicDescription description = described.get(topic.name());
        healthy &= description != null;
        out.printf(
            "  %-32s %s%n",
            topic.name(),
            description == null
                ? "missing ('fetchstats topics create' makes it)"
                : Main.count(description.partitions().size(), "partition"));
      }

      out.println("Stages:");
      healthy &=
          stage(
              out,
              "ingest",
              admin.group(IngestService.groupId(topics), List.of(topics.urls().name())));
      healthy &=
          stage(
              out,
              "process",
              admin.group(
                  ProcessorApp.applicationId(config),
                  List.of(
                      topics.chunks().name(),
                      topics.fetches().name(),
                      topics.jobs().name(),
                      topics.cancellations().name())));
    }
    if (results) {
      jobs(config, topics.jobResults(), out);
    } else {
      out.println("Jobs: none known (no job-results topic)");
    }
    out.flush();
    return healthy ? Main.OK : Main.FAILED;
  }

  /** One stage's line and lag; false when it has no instance. */
  private static boolean stage(PrintWriter out, String name, GroupStatus group) {
    out.printf(
        "  %-8s group %s: %s (%s)%n",
        name, group.groupId(), Main.count(group.members().size(), "instance"), group.state());
    group.members().forEach(member -> out.printf("    %s%n", member));
    out.printf(
        "    lag: %s%n",
        group.lagByTopic().isEmpty()
            ? "none"
            : group.lagByTopic().entrySet().stream()
                .map(lag -> lag.getValue() + " on " + lag.getKey())
                .collect(Collectors.joining(", ")));
    return !group.members().isEmpty();
  }

  /** The jobs of the job-results topic: how many run and are complete, the running ones named. */
  private static void jobs(
      FetchStatsConfig config, Topic<String, JobResult> results, PrintWriter out) {
    Map<String, JobResult> latest = KafkaClients.latestByKey(config, results, key -> true);
    List<JobResult> running = latest.values().stream().filter(job -> !job.getComplete()).toList();
    out.printf("Jobs: %d running, %d complete%n", running.size(), latest.size() - running.size());
    running.stream()
        .limit(LISTED_JOBS)
        .forEach(
            job ->
                out.printf(
                    "  %s: %d/%s URLs done, %d failed%n",
                    job.getJobId(),
                    job.getUrlsCompleted(),
                    job.getUrlsExpected() == null ? "? (open-ended)" : job.getUrlsExpected(),
                    job.getUrlsFailed()));
    if (running.size() > LISTED_JOBS) {
      out.printf("  ... and %d more%n", running.size() - LISTED_JOBS);
    }
  }
}
