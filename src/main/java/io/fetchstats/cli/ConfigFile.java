package io.fetchstats.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults of the shared options (the {@link ConfigPart}s, all in {@link AllOptions}) from the
 * environment and from a properties file named by {@value #ENV}: {@code --some-name} may be set by
 * the variable {@code FETCHSTATS_SOME_NAME} or by the file's key {@code some-name} (blank values
 * count as unset). The command line wins, then the environment, then the file, then the built-in
 * default. The environment is the one given (the process's, or a test's). Options of a single
 * command (a job id, --wait) are left alone: set once for every run, they would surprise.
 */
final class ConfigFile implements IDefaultValueProvider {
  static final String ENV = "FETCHSTATS_CONFIG_FILE";

  private static final Set<String> SHARED_OPTIONS =
      Set.copyOf(CommandSpec.forAnnotatedObject(new AllOptions()).optionsMap().keySet());

  private final Map<String, String> environment;
  private Properties values; // read when first needed, so that a bad file is a usage error

  ConfigFile(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The environment variable of an option: --fetch-threads is FETCHSTATS_FETCH_THREADS. */
  static String environmentVariable(String name) {
    return "FETCHSTATS_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)
        || !SHARED_OPTIONS.contains(option.longestName())
        || option.typeInfo().isMap()) { // one value cannot hold several: use --kafka-config
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String value = environment.get(environmentVariable(name));
    if (value == null || value.isBlank()) {
      value = file().getProperty(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private Properties file() {
    if (values == null) {
      Properties loaded = new Properties();
      String path = environment.get(ENV);
      if (path != null && !path.isBlank()) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
          loaded.load(in);
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read " + ENV + " " + path + ": " + e, e);
        }
      }
      values = loaded;
    }
    return values;
  }
}
