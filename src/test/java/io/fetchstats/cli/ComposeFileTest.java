package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** Docker cannot run here, so the compose file is checked against the real command line. */
class ComposeFileTest {

  private JsonNode compose;
  private JsonNode services;

  @BeforeEach
  void readComposeFile() throws IOException {
    // SnakeYAML (the parser under Jackson's YAML) resolves the merge keys (<<) the file uses.
    try (Reader in = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
      compose = new ObjectMapper().valueToTree(new Yaml().load(in));
      services = compose.get("services");
    }
  }

  @Test
  void theBrokerIsTheVersionOfTheClientsAndKeepsItsDataInAVolume() {
    JsonNode kafka = services.get("kafka");
    assertThat(kafka.get("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    String logDirs = kafka.get("environment").get("KAFKA_LOG_DIRS").asText();
    assertThat(kafka.get("volumes").get(0).asText()).isEqualTo("kafka-data:" + logDirs);
    assertThat(compose.get("volumes").has("kafka-data")).isTrue();
  }

  @Test
  void oneServiceBuildsTheImageTheOthersRun() {
    List<String> building = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      if (service.getKey().equals("kafka")) {
        continue;
      }
      assertThat(service.getValue().get("image").asText())
          .as(service.getKey())
          .isEqualTo("fetchstats:local");
      if (service.getValue().has("build")) {
        building.add(service.getKey());
      }
    }
    assertThat(building).containsExactly("topics");
  }

  @Test
  void servicesThatServeHealthAreCheckedByItAndTheOthersAreNot() throws IOException {
    for (String serving : List.of("ingest", "processor", "api")) {
      JsonNode service = services.get(serving);
      assertThat(service.get("environment").get("FETCHSTATS_HTTP_PORT").asText()).isEqualTo("8080");
      assertThat(service.get("healthcheck").get("test").toString())
          .as(serving)
          .contains("/app/bin/fetchstats-health");
    }
    for (String oneShot : List.of("topics", "samples", "results", "submit")) {
      assertThat(services.get(oneShot).get("healthcheck").get("disable").asBoolean())
          .as(oneShot)
          .isTrue();
    }
    // A job that never comes, or completes with failed URLs, must not restart results for ever.
    assertThat(services.get("results").has("restart")).isFalse();
    assertThat(Files.readString(Path.of("Dockerfile")))
        .containsPattern(
            "(?m)^HEALTHCHECK .*CMD \\[\"/app/bin/fetchstats-health\", \"--container\"\\]$");
  }

  @Test
  void everyServiceCommandIsARealCommandWithRealOptions() {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode command = service.getValue().get("command");
      if (command == null || service.getKey().equals("kafka")) {
        continue;
      }
      String[] args = new ObjectMapper().convertValue(command, String[].class);
      assertThatCode(() -> Main.commandLine().parseArgs(args))
          .as(service.getKey())
          .doesNotThrowAnyException();
      checked.add(service.getKey());
    }
    assertThat(checked)
        .contains("topics", "samples", "ingest", "processor", "api", "results", "submit");
  }

  @Test
  void thePublishedApiListensBeyondLoopbackOnThePublishedPort() {
    JsonNode api = services.get("api");
    JsonNode environment = api.get("environment");
    assertThat(environment.get("FETCHSTATS_HTTP_BIND").asText()).isEqualTo("0.0.0.0");
    String port =
        environment.has("FETCHSTATS_HTTP_PORT")
            ? environment.get("FETCHSTATS_HTTP_PORT").asText()
            : String.valueOf(io.fetchstats.config.HttpSettings.DEFAULT_PORT);
    assertThat(api.get("ports").get(0).asText()).endsWith(":" + port);
  }

  @Test
  void everyFetchstatsVariableIsOneTheCommandsRead() {
    Set<String> known = new HashSet<>();
    collectEnvironmentDefaults(Main.commandLine(), known);
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode environment = service.getValue().get("environment");
      if (environment == null) {
        continue;
      }
      environment
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (name.startsWith("FETCHSTATS_")) {
                  assertThat(known).as("%s in service %s", name, service.getKey()).contains(name);
                }
              });
    }
    assertThat(known).contains("FETCHSTATS_BOOTSTRAP_SERVERS", "FETCHSTATS_ALLOW_PRIVATE_NETWORKS");
  }

  private static void collectEnvironmentDefaults(CommandLine command, Set<String> into) {
    for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
      if (ConfigFile.reads(option)) {
        into.add(ConfigFile.environmentVariable(option.longestName().substring(2)));
      }
    }
    command.getSubcommands().values().forEach(sub -> collectEnvironmentDefaults(sub, into));
  }
}
