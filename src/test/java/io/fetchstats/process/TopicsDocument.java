package io.fetchstats.process;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Writes {@code topology/topics.md}: the pipeline's topics from their definitions, who writes and
 * reads each (the stages that are plain Kafka clients as declared here, the Kafka Streams
 * applications from their topologies), and the internal topics Kafka Streams derives from the
 * process topology.
 */
final class TopicsDocument {
  /** A topic Kafka Streams makes for the process stage, and which of its nodes use it. */
  private record Internal(String name, String what, String writtenBy, String readBy) {}

  private final FetchStatsConfig config;
  private final Topics topics;
  private final Set<String> pipelineTopics;

  /** Topic name to who writes it, each with the nodes that do (none for a plain client). */
  private final Map<String, Map<String, List<String>>> writers = new LinkedHashMap<>();

  private final Map<String, Map<String, List<String>>> readers = new LinkedHashMap<>();
  private final List<Internal> internal = new ArrayList<>();
  private final List<String> globalStores = new ArrayList<>();

  private TopicsDocument(FetchStatsConfig config) {
    this.config = config;
    this.topics = Topics.of(config);
    this.pipelineTopics =
        topics.definitions().stream()
            .map(Topics.Definition::name)
            .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  static String of(
      FetchStatsConfig config, TopologyDescription process, TopologyDescription resultsStore) {
    TopicsDocument document = new TopicsDocument(config);
    document.clients();
    document.process(process);
    document.resultsStore(resultsStore);
    return document.render();
  }

  /** The stages that use Kafka's clients directly: no topology describes what they touch. */
  private void clients() {
    writes("submit", topics.jobs());
    writes("submit", topics.urls());
    // A job id is taken if the jobs topic holds a manifest under it.
    reads("submit", topics.jobs());
    reads("ingest", topics.urls());
    writes("ingest", topics.chunks());
    writes("ingest", topics.fetches());
    writes("ingest", topics.deadLetters());
    writes("jobs cancel (API, CLI)", topics.cancellations());
    reads("ingest", topics.cancellations());
    // The results, submit --wait and demo commands, without the results store.
    reads("commands showing results", topics.jobResults());
    reads("commands showing results", topics.urlResults());
  }

  private void process(TopologyDescription description) {
    String applicationId = ProcessorApp.applicationId(config);
    Map<String, String> repartitionWriters = new LinkedHashMap<>();
    Map<String, String> repartitionReaders = new LinkedHashMap<>();
    List<Internal> changelogs = new ArrayList<>();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        String where = "`" + node.name() + "` (sub-topology " + sub.id() + ")";
        if (node instanceof TopologyDescription.Source source) {
          for (String topic : source.topicSet()) {
            if (pipelineTopics.contains(topic)) {
              add(readers, topic, "process", node.name());
            } else {
              repartitionReaders.put(repartition(topic), where);
            }
          }
        } else if (node instanceof TopologyDescription.Sink sink) {
          if (pipelineTopics.contains(sink.topic())) {
            add(writers, sink.topic(), "process", node.name());
          } else {
            repartitionWriters.put(repartition(sink.topic()), where);
          }
        } else if (node instanceof TopologyDescription.Processor processor) {
          // Every store is logged (Kafka Streams' default, which ProcessTopology keeps).
          for (String store : processor.stores().stream().sorted().toList()) {
            changelogs.add(
                new Internal(
                    applicationId + "-" + store + "-changelog",
                    "changelog of the store `" + store + "`",
                    where,
                    "a restore of the store"));
          }
        }
      }
    }
    repartitionWriters.forEach(
        (topic, writer) ->
            internal.add(
                new Internal(
                    applicationId + "-" + topic,
                    "repartition",
                    writer,
                    repartitionReaders.get(topic))));
    internal.addAll(changelogs);
    Object deadLetterQueue =
        ProcessorApp.streamsProperties(config.withBootstrapServers("unused:9092"))
            .get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    add(writers, (String) deadLetterQueue, "process's error handlers", null);
  }

  /** {@code topic}, which the process topology uses and which is no pipeline topic. */
  private static String repartition(String topic) {
    if (!topic.endsWith("-repartition")) {
      throw new IllegalStateException(
          "the process topology uses " + topic + ", neither a pipeline topic nor a repartition");
    }
    return topic;
  }

  private void resultsStore(TopologyDescription description) {
    for (TopologyDescription.GlobalStore store : description.globalStores()) {
      for (String topic : store.source().topicSet()) {
        add(readers, topic, "results store", store.source().name());
        globalStores.add(
            "`"
                + topic
                + "` into the global store `"
                + String.join("`, `", store.processor().stores())
                + "`");
      }
    }
  }

  private void writes(String who, Topic<?, ?> topic) {
    add(writers, topic.name(), who, null);
  }

  private void reads(String who, Topic<?, ?> topic) {
    add(readers, topic.name(), who, null);
  }

  private static void add(
      Map<String, Map<String, List<String>>> uses, String topic, String who, String node) {
    List<String> nodes =
        uses.computeIfAbsent(topic, t -> new LinkedHashMap<>())
            .computeIfAbsent(who, w -> new ArrayList<>());
    if (node != null) {
      nodes.add(node);
    }
  }

  private static String who(Map<String, List<String>> uses) {
    if (uses == null) {
      return "—";
    }
    List<String> cells = new ArrayList<>();
    uses.forEach(
        (who, nodes) ->
            cells.add(
                nodes.isEmpty()
                    ? who
                    : who + " (`" + String.join("`, `", nodes.stream().sorted().toList()) + "`)"));
    return String.join(", ", cells);
  }

  private String render() {
    StringBuilder out =
        new StringBuilder(
            "# Topics\n\n"
                + "Generated by TopologyFilesTest from the topic definitions (`Topics`) and the"
                + " topologies: after a deliberate change, regenerate it with `./mvnw test"
                + " -Dtest=TopologyFilesTest -Dfetchstats.updateTopology=true`.\n\n"
                + "Created by `fetchstats topics create` (and by `run`/`demo`) with the prefix `"
                + topics.prefix()
                + "`, one partition per core of the creating host unless `--partitions` says"
                + " otherwise.\n"
                + "Values are Avro single-object encoded (schemas in `schemas/`).\n\n"
                + "| topic | key | value | cleanup | written by | read by |\n"
                + "|---|---|---|---|---|---|\n");
    for (Topics.Definition topic : topics.definitions()) {
      row(
          out,
          "`" + topic.name() + "`",
          escaped(topic.key()),
          topic.value(),
          topic.compacted() ? "compact" : "delete",
          who(writers.get(topic.name())),
          who(readers.get(topic.name())));
    }
    out.append(
            "\nKafka Streams adds the process stage's internal topics, named from its application"
                + " id `")
        .append(ProcessorApp.applicationId(config))
        .append("` (see topology.txt):\n\n")
        .append("| topic | what | written by | read by |\n|---|---|---|---|\n");
    internal.forEach(
        topic ->
            row(out, "`" + topic.name() + "`", topic.what(), topic.writtenBy(), topic.readBy()));
    out.append("\nThe API's results store (`serve`, `run`) reads ")
        .append(String.join(" and ", globalStores))
        .append(
            " (see results-store.txt); these global stores have no changelog, their topics serve"
                + " as one.\n");
    return out.toString();
  }

  private static void row(StringBuilder out, String... columns) {
    out.append("| ").append(String.join(" | ", columns)).append(" |\n");
  }

  private static String escaped(String cell) {
    return cell.replace("|", "\\|");
  }
}
