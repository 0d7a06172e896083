package io.fetchstats.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

  /**
   * The shared options the environment and the file may set, by long name: all but those of several
   * values each (-X), which one value cannot hold.
   */
  private static final Set<String> READ =
      CommandSpec.forAnnotatedObject(new AllOptions()).options().stream()
          .filter(option -> !option.typeInfo().isMap())
          .map(OptionSpec::longestName)
          .collect(Collectors.toUnmodifiableSet());

  private final Map<String, String> environment;
  private Properties values; // read when first needed
  private String unreadable; // why the file could not be read, or null
  private final Map<String, Integer> lines = new HashMap<>(); // the line of each key of the file

  /** Where each option's value came from, when it came from here (option name to source). */
  private final Map<String, Source> sources = new HashMap<>();

  /** Which variable or line of the file gave a value. */
  record Source(String where) {}

  /**
   * Values of the environment or the file that do not convert to their option's type, by option:
   * left out of the defaults (so that --help still works, and the command line may set the option
   * instead), and refused when the command runs without it.
   */
  private final Map<String, String> invalid = new HashMap<>();

  ConfigFile(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The environment variable of an option: --fetch-threads is FETCHSTATS_FETCH_THREADS. */
  static String environmentVariable(String name) {
    return "FETCHSTATS_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Whether the environment and the file may set this option: shared, and of one value. */
  static boolean reads(OptionSpec option) {
    return READ.contains(option.longestName());
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !reads(option)) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String where = environmentVariable(name);
    String value = environment.get(where);
    if (value == null || value.isBlank()) {
      value = file().getProperty(name);
      where = ENV + " " + environment.get(ENV) + ", line " + lines.get(name);
    }
    if (value == null || value.isBlank()) {
      return null;
    }
    String why = whyNot(option, value.strip());
    if (why != null) {
      invalid.put(
          option.longestName(),
          "'"
              + value.strip()
              + "' from "
              + where
              + " is not a value of "
              + option.longestName()
              + ": "
              + why);
      return null;
    }
    sources.put(option.longestName(), new Source(where));
    return value.strip();
  }

  /**
   * Where the value of this option came from if it was not the command line, or null for the
   * built-in default.
   */
  Source sourceOf(String option) {
    return sources.get(option);
  }

  /** Why {@code value} cannot be the option's, or null if it can. */
  private static String whyNot(OptionSpec option, String value) {
    Class<?> type = option.type();
    try {
      if (type == int.class || type == Integer.class) {
        Integer.parseInt(value);
      } else if (type == long.class || type == Long.class) {
        Long.parseLong(value);
      } else if (type == Duration.class) {
        Durations.parse(value);
      } else if ((type == boolean.class || type == Boolean.class)
          && !value.equalsIgnoreCase("true")
          && !value.equalsIgnoreCase("false")) {
        return "say true or false";
      }
    } catch (NumberFormatException e) {
      return "not a whole number";
    } catch (picocli.CommandLine.TypeConversionException e) {
      return "use " + Durations.FORMS;
    }
    return null;
  }

  /**
   * Why the command cannot run with the options of {@code command} that the command line left
   * unset: the file could not be read, or a value of the environment or the file does not convert;
   * null if neither. Help and version run all the same.
   */
  String problemFor(CommandSpec command, java.util.function.Predicate<OptionSpec> given) {
    file();
    if (unreadable != null) {
      return unreadable;
    }
    return command.options().stream()
        .filter(option -> invalid.containsKey(option.longestName()) && !given.test(option))
        .map(option -> invalid.get(option.longestName()))
        .findFirst()
        .orElse(null);
  }

  /**
   * What is wrong with the file but keeps nothing from running: its keys that no shared option has
   * ({@code allOptions}: every option of every command, to tell a misspelling from an option of one
   * command).
   */
  List<String> warnings(Set<String> allOptions) {
    List<String> warnings = new ArrayList<>();
    Set<String> known = READ.stream().map(name -> name.substring(2)).collect(Collectors.toSet());
    for (String key : new TreeSet<>(file().stringPropertyNames())) {
      if (known.contains(key)) {
        continue;
      }
      String where = ENV + " " + environment.get(ENV) + ", line " + lines.get(key) + ": ";
      if (allOptions.contains("--" + key)) {
        warnings.add(
            where
                + "'"
                + key
                + "' is not set from the config file (only the options several commands share"
                + " are; give it on the command line); it is ignored");
        continue;
      }
      String guess = Suggestions.closest(key, known);
      warnings.add(
          where
              + "no option is called '"
              + key
              + "'"
              + (guess == null ? "" : " (did you mean '" + guess + "'?)")
              + "; it is ignored");
    }
    return warnings;
  }

  private Properties file() {
    if (values == null) {
      Properties loaded = new Properties();
      String path = environment.get(ENV);
      if (path != null && !path.isBlank()) {
        try {
          // Read once: the properties, and the line of each key for the messages.
          byte[] bytes = Files.readAllBytes(Path.of(path));
          loaded.load(new ByteArrayInputStream(bytes));
          numberLines(new String(bytes, StandardCharsets.ISO_8859_1).lines().toList());
        } catch (IOException e) {
          unreadable = Unreadable.message(ENV + " " + path, e);
        }
      }
      values = loaded;
    }
    return values;
  }

  /** Each key's line: the first word of a line that is not blank, a comment or a continuation. */
  private void numberLines(List<String> text) {
    boolean continued = false;
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i).stripLeading();
      boolean startsKey = !continued && !line.isEmpty() && "#!".indexOf(line.charAt(0)) < 0;
      if (startsKey) {
        lines.putIfAbsent(line.split("[=:\\s]", 2)[0], i + 1);
      }
      continued = (continued || startsKey) && endsInOddBackslashes(line);
    }
  }

  private static boolean endsInOddBackslashes(String line) {
    int n = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      n++;
    }
    return n % 2 == 1;
  }
}
