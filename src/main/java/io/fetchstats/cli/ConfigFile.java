package io.fetchstats.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment and from a properties file named by {@value #ENV}: any
 * option {@code --some-name} may be set by the variable {@code FETCHSTATS_SOME_NAME} or by the
 * file's key {@code some-name}. The command line wins, then the environment, then the file, then
 * the built-in default. The environment is the one given (the process's, or a test's).
 */
final class ConfigFile implements IDefaultValueProvider {
  static final String ENV = "FETCHSTATS_CONFIG_FILE";

  private final Properties values;
  private final Map<String, String> environment;

  private ConfigFile(Properties values, Map<String, String> environment) {
    this.values = values;
    this.environment = environment;
  }

  /** The file {@value #ENV} names in {@code environment}, or none. */
  static ConfigFile of(Map<String, String> environment) {
    String path = environment.get(ENV);
    Properties values = new Properties();
    if (path != null && !path.isBlank()) {
      try (InputStream in = Files.newInputStream(Path.of(path))) {
        values.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + ENV + " " + path, e);
      }
    }
    return new ConfigFile(values, environment);
  }

  /** The environment variable of an option: --fetch-threads is FETCHSTATS_FETCH_THREADS. */
  static String environmentVariable(String name) {
    return "FETCHSTATS_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String fromEnvironment = environment.get(environmentVariable(name));
    return fromEnvironment != null ? fromEnvironment : values.getProperty(name);
  }
}
