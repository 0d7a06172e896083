package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Create or describe the pipeline's topics.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
final class TopicsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say 'topics create' or 'topics describe'");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create the topics that do not exist yet.")
  static final class Create implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topic;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      kafka.requireExternal(spec);
      FetchStatsConfig config = ConfigPart.config(kafka, topic);
      try (TopicAdmin admin = new TopicAdmin(config)) {
        admin.requireReachable();
        List<String> created = admin.createMissing(false);
        spec.commandLine()
            .getOut()
            .println(
                created.isEmpty() ? "All topics exist." : "Created: " + String.join(", ", created));
      }
      return Main.OK;
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show each topic's partitions and replicas.")
  static final class Describe implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      kafka.requireExternal(spec);
      FetchStatsConfig config = ConfigPart.config(kafka);
      PrintWriter out = spec.commandLine().getOut();
      try (TopicAdmin admin = new TopicAdmin(config)) {
        admin.requireReachable();
        var described = admin.describe();
        List<Topics.Definition> definitions = Topics.of(config).definitions();
        for (var definition : definitions) {
          TopicDescription description = described.get(definition.name());
          out.printf(
              "%-32s %s%n",
              definition.name(),
              description == null
                  ? "missing"
                  : description.partitions().size()
                      + " partitions, replication "
                      + description.partitions().get(0).replicas().size()
                      + (definition.compacted() ? ", compacted" : ""));
        }
        return described.size() == definitions.size() ? Main.OK : Main.NOT_FOUND;
      }
    }
  }
}
