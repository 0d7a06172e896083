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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** Docker cannot run here, so the compose file is checked against the real command line. */
class ComposeFileTest {

  private JsonNode services;

  @BeforeEach
  void readComposeFile() throws IOException {
    // SnakeYAML (the parser under Jackson's YAML) resolves the merge keys (<<) the file uses.
    try (Reader in = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
      Object compose = new Yaml().load(in);
      services = new ObjectMapper().valueToTree(compose).get("services");
    }
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
