package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective configuration and where each value came from.",
      "Each setting with its source (the command line, an environment variable, the config file"
          + " and its line, or else the default), then the Kafka client properties (from -X and"
          + " --kafka-config), with secrets masked.",
      "Nothing is started or checked: it shows what the other commands would use."
    })
final class ConfigCommand implements Callable<Integer> {
  static final String MASK = "********";

  /**
   * Properties Kafka does not declare as passwords but that hold secrets all the same: PEM keys and
   * certificates given inline, user info, tokens.
   */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "password|secret|jaas|token|credential|private|user\\.info|keystore\\.key|\\.key$"
              + "|certificate",
          Pattern.CASE_INSENSITIVE);

  /** Prefixes by which Kafka Streams passes a property to one of its clients only. */
  private static final Pattern CLIENT_PREFIX =
      Pattern.compile(
          "^(main\\.consumer|restore\\.consumer|global\\.consumer|consumer|producer|admin)\\.");

  @Mixin AllOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws ReflectiveOperationException {
    FetchStatsConfig config = ConfigPart.config(options);
    PrintWriter out = spec.commandLine().getOut();
    print(config, out);
    Map<String, String> properties = new TreeMap<>(config.kafka().properties());
    out.printf("kafka client properties: %s%n", properties.isEmpty() ? "none" : properties.size());
    properties.forEach((name, value) -> out.printf("  %s = %s%n", name, masked(name, value)));
    out.flush();
    return Main.OK;
  }

  /** Each setting of a record, and of the settings records in it, a line each. */
  private void print(Record settings, PrintWriter out) throws ReflectiveOperationException {
    for (RecordComponent component : settings.getClass().getRecordComponents()) {
      Object value = component.getAccessor().invoke(settings);
      if (value instanceof Record group) {
        print(group, out);
      } else if (!(value instanceof Map)) { // the Kafka client properties come last, masked
        String option = optionName(component);
        out.printf(Locale.ROOT, "%-24s = %s%s%n", option, shown(component, value), origin(option));
      }
    }
  }

  /** Settings whose option is not their name in kebab case. */
  private static final Map<String, String> OPTION_NAMES =
      Map.of(
          "FetchSettings.threads", "fetch-threads",
          "FetchSettings.chunkBytes", "chunk-size",
          "FetchSettings.maxBodyBytes", "max-body-size",
          "HttpSettings.bind", "http-bind",
          "HttpSettings.port", "http-port",
          "HttpSettings.maxRequestBytes", "max-request-size",
          "KafkaSettings.timeout", "kafka-timeout");

  /** As the option is spelled (maxPerHost is --max-per-host), or the setting's name. */
  private String optionName(RecordComponent component) {
    String name =
        OPTION_NAMES.getOrDefault(
            component.getDeclaringRecord().getSimpleName() + "." + component.getName(),
            component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
    return spec.optionsMap().containsKey("--" + name) ? name : name + " (no option)";
  }

  /** Where a value came from, unless it is the built-in default: " (from ...)". */
  private String origin(String option) {
    OptionSpec spec = this.spec.optionsMap().get("--" + option);
    if (spec == null) {
      return "";
    }
    if (this.spec.commandLine().getParseResult().hasMatchedOption(spec)) {
      return "  (from the command line)";
    }
    ConfigFile.Source source =
        this.spec.defaultValueProvider() instanceof ConfigFile file
            ? file.sourceOf(spec.longestName())
            : null;
    return source == null ? "" : "  (from " + source.where() + ")";
  }

  /** Values that mean "decided when a process starts", in words. */
  private static final Map<String, String> UNSET =
      Map.of(
          "bootstrapServers", "(none: 'run', 'broker' and 'demo' start an embedded broker)",
          "instanceId", "(none: a process claims one in the data dir)",
          "apiToken", "(none: POST and DELETE need no token)",
          "brokerPort",
              "(0: the one remembered in the data dir, 9092 when free at the first start)");

  private static Object shown(RecordComponent component, Object value) {
    if (value != null && component.getName().equals("apiToken")) {
      return MASK;
    }
    boolean unset = value == null || value.equals("") || value.equals(0);
    return unset ? UNSET.getOrDefault(component.getName(), String.valueOf(value)) : value;
  }

  /** The value, or a mask if Kafka types the property as a password or its name says secret. */
  static String masked(String name, String value) {
    return isSecret(name) ? MASK : value;
  }

  private static boolean isSecret(String name) {
    String unprefixed = CLIENT_PREFIX.matcher(name).replaceFirst("");
    for (ConfigDef def :
        new ConfigDef[] {
          ProducerConfig.configDef(),
          ConsumerConfig.configDef(),
          AdminClientConfig.configDef(),
          StreamsConfig.configDef()
        }) {
      ConfigDef.ConfigKey key = def.configKeys().get(unprefixed);
      if (key != null && key.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    return SECRET_NAME.matcher(name).find();
  }
}
