package io.fetchstats.cli;

import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
      ProcessCommand.class,
      ServeCommand.class,
      SubmitCommand.class,
      ResultsCommand.class,
      TopicsCommand.class,
      SamplesCommand.class,
      BenchCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
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
    return new CommandLine(new Main())
        .setDefaultValueProvider(new ConfigFile(environment))
        // Enum values as the help shows them, in lower case (formats, scenarios).
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (error, cmd, parsed) -> {
              cmd.getErr()
                  .println(cmd.getColorScheme().errorText("fetchstats: " + messageOf(error)));
              // Invalid settings (say, a negative timeout) are the caller's to fix.
              return error instanceof IllegalArgumentException ? USAGE : FAILED;
            });
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

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
