package io.fetchstats.cli;

import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fetchstats} command. */
@Command(
    name = "fetchstats",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Fetch many URLs through Kafka and publish exact statistics of the numbers in them.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      BrokerCommand.class,
      IngestCommand.class,
      FetchCommand.class,
      AnalyzeCommand.class,
      ProcessCommand.class,
      ServeCommand.class,
      SubmitCommand.class,
      ResultsCommand.class,
      JobsCommand.class,
      StatusCommand.class,
      TopicsCommand.class,
      SamplesCommand.class,
      BenchCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Exit codes that mean something to scripts. */
  static final int OK = 0;

  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int TIMED_OUT = 3;
  static final int NOT_FOUND = 4;

  public static void main(String[] args) {
    // Before anything decodes Avro: this sets Avro's length limits (see AvroSerde).
    AvroSerde.requireLengthLimits();
    System.exit(commandLine().execute(args));
  }

  /** The command line with its subcommands, as {@code main} runs it (tests use it too). */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line as in an environment: option defaults may come from its config file. */
  static CommandLine commandLine(Map<String, String> environment) {
    ConfigFile configFile = new ConfigFile(environment);
    return withConverters(new CommandLine(new Main()))
        .setDefaultValueProvider(configFile)
        // Enum values as the help shows them, in lower case (formats, scenarios).
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Main::usageError)
        .setExecutionStrategy(
            parsed -> {
              CommandLine.ParseResult last = parsed;
              while (last.hasSubcommand()) {
                last = last.subcommand();
              }
              PrintWriter err = last.commandSpec().commandLine().getErr();
              if (last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
                return new CommandLine.RunLast().execute(parsed);
              }
              // Said as the file's or the variable's, not as a mistake on the command line.
              String problem = configFile.problemFor(last.commandSpec(), last::hasMatchedOption);
              if (problem != null) {
                err.println(
                    last.commandSpec()
                        .commandLine()
                        .getColorScheme()
                        .errorText("fetchstats: " + problem));
                err.flush();
                return USAGE;
              }
              configFile
                  .warnings(optionNames(parsed.commandSpec()))
                  .forEach(warning -> err.println("fetchstats: " + warning));
              return new CommandLine.RunLast().execute(parsed);
            })
        .setExecutionExceptionHandler(
            (error, cmd, parsed) -> {
              cmd.getErr()
                  .println(cmd.getColorScheme().errorText("fetchstats: " + messageOf(error)));
              // Invalid settings (say, a negative timeout) are the caller's to fix.
              return error instanceof IllegalArgumentException ? USAGE : FAILED;
            });
  }

  /**
   * {@code options} (a group of options, such as {@link KafkaOptions}) set from {@code args} with
   * the converters the command line uses, for code that configures a stage as the CLI would.
   */
  static <T> T populate(T options, String... args) {
    withConverters(new CommandLine(options)).parseArgs(args);
    return options;
  }

  /** The long names of every option of a command and its subcommands. */
  private static Set<String> optionNames(CommandLine.Model.CommandSpec command) {
    Set<String> names = new HashSet<>(command.optionsMap().keySet());
    command.subcommands().values().forEach(sub -> names.addAll(optionNames(sub.getCommandSpec())));
    return names;
  }

  private static CommandLine withConverters(CommandLine cli) {
    return cli.registerConverter(Duration.class, new Durations());
  }

  /** "1 URL", "2 URLs": a count with its noun in the number it takes. */
  static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  /**
   * A usage error: the error, a suggestion for a misspelt option or command, and where the help is,
   * as git and kubectl do, rather than the whole help under it.
   */
  private static int usageError(CommandLine.ParameterException error, String[] args) {
    CommandLine cmd = error.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText("fetchstats: " + error.getMessage()));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(error, err)
        && error instanceof CommandLine.UnmatchedArgumentException unmatched) {
      // picocli suggests by prefix only: --wiat gets --wait by edit distance.
      for (String arg : unmatched.getUnmatched()) {
        String option = arg.split("=", 2)[0];
        String guess =
            option.startsWith("--")
                ? Suggestions.closest(option, cmd.getCommandSpec().optionsMap().keySet())
                : null;
        if (guess != null) {
          err.println("Did you mean: " + guess + "?");
        }
      }
    }
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return USAGE;
  }

  private static String messageOf(Throwable error) {
    Optional<AuthenticationException> refused = KafkaClients.authenticationFailureBehind(error);
    if (refused.isPresent()) {
      // A failed handshake says only that; its root cause says why (say, an untrusted certificate).
      Throwable root = refused.get();
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "the secured connection to Kafka failed (check the TLS and SASL settings:"
          + " --kafka-config, -X): "
          + refused.get().getMessage()
          + (root == refused.get()
              ? ""
              : ": " + Objects.requireNonNullElse(root.getMessage(), root.toString()));
    }
    Optional<TimeoutException> timeout = KafkaClients.timeoutBehind(error);
    if (timeout.isPresent()) {
      return "Kafka did not answer in time; is it running, and are --bootstrap-servers right? ("
          + timeout.get().getMessage()
          + ")";
    }
    Throwable root = error;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** Without a command there is nothing to do: the commands, and a usage error's exit code. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fetchstats " + (version == null ? "(development build)" : version)};
    }
  }
}
