package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.ResultsStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code topology/} in step with the code. After a deliberate change, regenerate with {@code
 * ./mvnw test -Dtest=TopologyFilesTest -Dfetchstats.updateTopology=true}.
 */
class TopologyFilesTest {
  private static final Path DIR = Path.of("topology");
  private final FetchStatsConfig config = FetchStatsConfig.builder().build();

  @Test
  void topologyDescriptionIsCurrent() throws IOException {
    check(
        DIR.resolve("topology.txt"),
        ProcessTopology.build(config, new ProcessMetrics(new SimpleMeterRegistry()))
            .describe()
            .toString());
  }

  @Test
  void resultsStoreTopologyIsCurrent() throws IOException {
    check(
        DIR.resolve("results-store.txt"),
        ResultsStore.topology(Topics.of(config)).describe().toString());
  }

  @Test
  void topicDefinitionsAreCurrent() throws IOException {
    check(
        DIR.resolve("topics.md"),
        TopicsDocument.of(
            config,
            ProcessTopology.build(config, new ProcessMetrics(new SimpleMeterRegistry())).describe(),
            ResultsStore.topology(Topics.of(config)).describe()));
  }

  private static void check(Path file, String expected) throws IOException {
    if (Boolean.getBoolean("fetchstats.updateTopology")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(file).as("%s is missing: regenerate it (see this test's comment)", file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("%s is out of date: regenerate it (see this test's comment)", file)
        .isEqualTo(expected);
  }
}
