package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs in an empty environment, whatever this machine's FETCHSTATS_ variables. */
  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> environment, String... args) {
    CommandLine cli = Main.commandLine(environment);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "demo", "run", "broker", "ingest", "process", "serve", "submit", "results", "topics",
        "samples", "fetch", "analyze", "bench", "config"
      })
  void everyCommandExplainsItself(String command) {
    assertThat(run(command, "--help")).isZero();
    assertThat(out.toString()).contains("Usage: fetchstats " + command);
  }

  @Test
  void eachCommandOffersTheOptionsItUsesAndNoOthers() {
    assertThat(options("submit"))
        .contains("--bootstrap-servers", "--topic-prefix", "--kafka-config", "--job-id")
        .doesNotContain(
            "--stream-threads", "--max-inflation-ratio", "--fetch-threads", "--data-dir");
    assertThat(options("results")).contains("--bootstrap-servers").doesNotContain("--partitions");
    assertThat(options("process"))
        .contains("--stream-threads", "--instance-id", "--http-port")
        .doesNotContain("--fetch-threads", "--broker-port");
    assertThat(options("ingest"))
        .contains("--fetch-threads", "--allow-private-networks", "--instance-id")
        .doesNotContain("--stream-threads", "--broker-port");
    assertThat(options("fetch"))
        .contains("--fetch-threads", "--max-body-size")
        .doesNotContain("--bootstrap-servers", "--data-dir");
    assertThat(options("broker"))
        .contains("--broker-port", "--data-dir")
        .doesNotContain("--instance-id", "--fetch-threads", "--stream-threads");
    assertThat(run("submit", "--stream-threads", "2", "--url", "http://example.org/"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Unknown option").contains("--stream-threads");
  }

  private static java.util.Set<String> options(String command) {
    return Main.commandLine(Map.of())
        .getSubcommands()
        .get(command)
        .getCommandSpec()
        .optionsMap()
        .keySet();
  }

  @Test
  void configPrintsTheEffectiveSettingsWithSecretsMasked() {
    assertThat(
            run(
                "config",
                "--bootstrap-servers",
                "kafka:9092",
                "--fetch-threads",
                "7",
                "-X",
                "ssl.truststore.location=/etc/kafka/truststore.jks",
                "-X",
                "ssl.truststore.password=changeit",
                "-X",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                    + " required username=\"u\" password=\"p4ss\";",
                "-X",
                "my.api.secret=s3cret",
                "-X",
                "main.consumer.ssl.keystore.key=-----BEGIN PRIVATE KEY-----MIIE",
                "-X",
                "producer.ssl.key.password=pk",
                "-X",
                "basic.auth.user.info=user:hunter2"))
        .isZero();

    assertThat(out.toString())
        .containsPattern("(?m)^bootstrap-servers\\s+= kafka:9092  \\(from the command line\\)$")
        .containsPattern("(?m)^fetch-threads\\s+= 7  \\(from the command line\\)$")
        .containsPattern("(?m)^max-per-host\\s+= 8$")
        .containsPattern("(?m)^http-bind\\s+= 127.0.0.1$")
        .containsPattern("(?m)^max-request-size\\s+= 16777216$")
        .contains("kafka client properties: 7")
        .contains("ssl.truststore.location = /etc/kafka/truststore.jks")
        .contains("ssl.truststore.password = ********")
        .contains("sasl.jaas.config = ********")
        .contains("my.api.secret = ********")
        .doesNotContain("changeit")
        .doesNotContain("p4ss")
        .doesNotContain("s3cret")
        .doesNotContain("MIIE")
        .doesNotContain("= pk")
        .doesNotContain("hunter2");
  }

  @Test
  void serveHelpListsTheRoutesAndTheHttpOptionsTheirDefaults() {
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString())
        .contains("POST /jobs", "GET  /jobs/{id}/urls", "POST /analyze", "GET  /metrics")
        .containsPattern("--http-bind=<httpBind>\\s+Address of the HTTP server")
        .contains("default: 127.0.0.1", "default: 8080", "default: 16777216");
  }

  @Test
  void invalidHttpSettingsAreUsageErrors() {
    assertThat(run("serve", "--bootstrap-servers", "localhost:1", "--http-port", "70000"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("HTTP port must be between 0 and 65535");
  }

  @Test
  void configSaysWhatUnsetSettingsBecome() {
    assertThat(run("config", "--bootstrap-servers=")).isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^bootstrap-servers\\s+= \\(none: 'run', 'broker' and 'demo' start")
        .containsPattern("(?m)^instance-id\\s+= \\(none: a process claims one in the data dir\\)")
        .containsPattern("(?m)^broker-port\\s+= \\(0: the one remembered in the data dir");
  }

  @Test
  void optionsComeFromTheCommandLineThenTheEnvironmentThenTheConfigFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("fetchstats.properties");
    Files.writeString(file, "fetch-threads=16\nmax-per-host=3\nchunk-size=65536\n");
    Map<String, String> environment =
        Map.of(
            ConfigFile.ENV,
            file.toString(),
            "FETCHSTATS_MAX_PER_HOST",
            "5",
            "FETCHSTATS_PARTITIONS",
            " ", // blank: unset
            "FETCHSTATS_ALLOW_PRIVATE_NETWORKS",
            "true");

    assertThat(run(environment, "config", "--chunk-size", "1048576", "--allow-private-networks"))
        .as(err::toString)
        .isZero();

    assertThat(out.toString())
        .containsPattern(
            "(?m)^fetch-threads\\s+= 16  \\(from FETCHSTATS_CONFIG_FILE .*, line 1\\)$")
        .containsPattern("(?m)^max-per-host\\s+= 5  \\(from FETCHSTATS_MAX_PER_HOST\\)$")
        .containsPattern("(?m)^chunk-size\\s+= 1048576  \\(from the command line\\)$")
        .containsPattern("(?m)^allow-private-networks\\s+= true  \\(from the command line\\)$")
        .containsPattern("(?m)^max-attempts\\s+= 3$"); // the built-in default
  }

  @Test
  void aConfigFileThatCannotBeReadIsAUsageError(@TempDir Path dir) {
    Map<String, String> environment = Map.of(ConfigFile.ENV, dir.resolve("none").toString());

    assertThat(run(environment, "config")).isEqualTo(Main.USAGE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "fetchstats: cannot read FETCHSTATS_CONFIG_FILE "
                + dir.resolve("none")
                + ": no such file");
  }

  @Test
  void theEnvironmentVariablesTheHelpNamesAreTheOnesReadForEachOption() {
    CommandLine config = Main.commandLine(Map.of()).getSubcommands().get("config");
    for (CommandLine.Model.OptionSpec option : config.getCommandSpec().options()) {
      java.util.regex.Matcher named =
          java.util.regex.Pattern.compile("env (FETCHSTATS_[A-Z_]+)")
              .matcher(String.join(" ", option.description()));
      if (named.find()) {
        assertThat(named.group(1))
            .as(option.longestName())
            .isEqualTo(ConfigFile.environmentVariable(option.longestName().substring(2)));
      }
    }
  }

  @Test
  void theStagesThatNeedAnExternalBrokerSaySo() {
    assertThat(run("submit", "--bootstrap-servers=", "--url", "http://example.org/a.csv"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("submit needs --bootstrap-servers");
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    assertThat(
            run(
                "submit",
                "--bootstrap-servers",
                "localhost:1",
                "--format",
                "xml",
                "--url",
                "http://x/y"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("unknown format 'xml'");
  }

  @Test
  void anInvalidJobIdIsAUsageError() {
    assertThat(
            run(
                "submit",
                "--bootstrap-servers",
                "localhost:1",
                "--job-id",
                "a b",
                "--url",
                "http://x/y"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("invalid job id 'a b'");
  }

  @Test
  void invalidSettingsAreUsageErrorsFoundBeforeAnythingStarts() {
    assertThat(run("run", "--request-timeout", "PT-1S")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("request timeout must be positive");
    assertThat(run("status", "--bootstrap-servers", "localhost:1", "--kafka-timeout", "25d"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Kafka timeout must be at most 24 days");
    assertThat(run("run", "--chunk-size", "100")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("chunk size must be between 1024");
    assertThat(run("submit", "--bootstrap-servers", "localhost:1", "/no/such/file"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("cannot read /no/such/file: no such file");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run("run", "--no-such-option")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
  }

  @Test
  void aUsageErrorIsOneLineAndWhereTheHelpIsNotTheHelp() {
    assertThat(run("submit", "--bootstrap-servers", "localhost:1", "--no-such-option"))
        .isEqualTo(Main.USAGE);

    assertThat(err.toString().lines())
        .containsExactly(
            "fetchstats: Unknown option: '--no-such-option'",
            "Try 'fetchstats submit --help' for more information.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMisspeltOptionOrCommandGetsASuggestion() {
    assertThat(run("run", "--fetch-thread", "4")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("--fetch-threads").doesNotContain("Usage:");

    err.getBuffer().setLength(0);
    assertThat(run("sumbit")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("submit").contains("Try 'fetchstats --help'");
  }

  @Test
  void noCommandIsAUsageErrorThatListsTheCommands() {
    assertThat(run()).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Usage: fetchstats", "submit", "results");
  }

  @Test
  void durationsTakeUnitsAsPeopleTypeThemAndIso8601() {
    assertThat(
            run(
                "config",
                "--kafka-timeout",
                "1m30s",
                "--request-timeout",
                "500ms",
                "--stop-timeout",
                "PT2S"))
        .as(err::toString)
        .isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^kafka-timeout\\s+= PT1M30S  ")
        .containsPattern("(?m)^request-timeout\\s+= PT0.5S  ")
        .containsPattern("(?m)^stop-timeout\\s+= PT2S  ");

    assertThat(run("config", "--kafka-timeout", "5 seconds")).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains("'5 seconds' is not a duration: use 500ms, 5s, 2m, 1h, 1m30s or ISO-8601")
        .doesNotContain("DateTimeParseException");
  }

  @Test
  void theSampleServerDoesNotTakeTheApisPortByDefault() {
    assertThat(run("samples", "--help")).isZero();
    assertThat(out.toString()).contains("default: 8081");
  }

  @Test
  void aBadValueNamesTheVariableOrTheLineItCameFrom(@TempDir Path dir) throws Exception {
    Map<String, String> environment = Map.of("FETCHSTATS_FETCH_THREADS", "abc");
    assertThat(run(environment, "config")).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains(
            "fetchstats: 'abc' from FETCHSTATS_FETCH_THREADS is not a value of --fetch-threads:"
                + " not a whole number")
        .doesNotContain("Usage:");

    // The help still shows, with the built-in default; the command line may set it instead.
    assertThat(run(environment, "fetch", "--help")).isZero();
    assertThat(out.toString()).contains("default: 32").doesNotContain("abc");
    assertThat(run(environment, "config", "--fetch-threads", "4")).isZero();

    Path file = dir.resolve("fetchstats.properties");
    Files.writeString(file, "# settings\nmax-per-host = 4\nrequest-timeout = soon\n");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(ConfigFile.ENV, file.toString()), "config")).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains(
            "'soon' from FETCHSTATS_CONFIG_FILE "
                + file
                + ", line 3 is not a value of --request-timeout: use 500ms, 5s");
  }

  @Test
  void aMisspeltKeyInTheConfigFileIsNamedWithTheOptionItMayMean(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("fetchstats.properties");
    Files.writeString(file, "fetch-threads=4\nmax-per-hots=2\nwhatever=1\n");

    assertThat(run(Map.of(ConfigFile.ENV, file.toString()), "config")).isZero();

    assertThat(err.toString())
        .contains(
            "fetchstats: FETCHSTATS_CONFIG_FILE "
                + file
                + ", line 2: no option is called 'max-per-hots' (did you mean 'max-per-host'?);"
                + " it is ignored")
        .contains(", line 3: no option is called 'whatever'; it is ignored");
    assertThat(out.toString()).containsPattern("(?m)^fetch-threads\\s+= 4  ");
  }

  @Test
  void aFileThatIsNotAUrlListIsRefusedNamingItsLines(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "# fetchstats\n\nFetch many URLs.\nhttp://h/a.csv\n");

    assertThat(run("submit", "--bootstrap-servers", "localhost:1", readme.toString()))
        .isEqualTo(Main.USAGE);

    assertThat(err.toString())
        .contains(
            readme
                + ": an entry is not an http(s) URL; line 3: 'Fetch many URLs.' holds a space"
                + " (--skip-invalid submits the others)")
        .doesNotContain("Usage:");
  }

  @Test
  void skippingEveryEntryLeavesNoUrlsToSubmit(@TempDir Path dir) throws Exception {
    Path notes = dir.resolve("notes.txt");
    Files.writeString(notes, "one\ntwo\n");

    assertThat(
            run(
                "submit",
                "--bootstrap-servers",
                "localhost:1",
                "--skip-invalid",
                "--url",
                "ftp://h/x",
                notes.toString()))
        .isEqualTo(Main.USAGE);

    assertThat(err.toString())
        .contains("Skipped 3 of the lists' entries: not http(s) URLs")
        .contains("no URLs to submit");
  }

  @Test
  void analyzePrintsWhatThePipelineWouldGiveForAFileWithoutKafka(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("data.csv");
    Files.writeString(csv, "id,value\n1,2.5\n2,x\n3,4\n");

    assertThat(run("analyze", csv.toString())).as(err::toString).isZero();
    assertThat(out.toString())
        .startsWith("Job " + csv + ": complete (1/1 URLs done)")
        .contains("1 succeeded, 0 failed; 23 B in 1 chunk, 3 rows")
        .containsPattern("(?m)^value\\s+2\\s+3.25\\s");

    out.getBuffer().setLength(0);
    Path text = dir.resolve("data.txt");
    Files.writeString(text, "k;v\na;1\nb;2\n");
    assertThat(run("analyze", "--format", "csv", "--json", text.toString())).isZero();
    assertThat(out.toString()).contains("\"rows\":2").contains("\"sum\":3.0");
  }

  @Test
  void analyzeFailsABodyAsAJobWouldAndRefusesWhatItCannotRead(@TempDir Path dir) throws Exception {
    Path words = dir.resolve("words.txt");
    Files.writeString(words, "nothing to count here\n");
    assertThat(run("analyze", words.toString())).isEqualTo(Main.FAILED);
    assertThat(out.toString()).contains("NO_NUMBERS: no numbers in 22 bytes");

    assertThat(run("analyze", "http://127.0.0.1:9/x.csv")).isEqualTo(Main.FAILED);
    assertThat(out.toString()).contains("BLOCKED_ADDRESS");

    assertThat(run("analyze", dir.resolve("none.csv").toString())).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("none.csv: no such file");
  }

  @Test
  void whatTheReviewFoundIsSaidInWordsAndHelpStillWorks(@TempDir Path dir) throws Exception {
    // A config file that cannot be read: help and version run, the rest is refused in one line.
    Map<String, String> missingFile = Map.of(ConfigFile.ENV, dir.resolve("none").toString());
    assertThat(run(missingFile, "analyze", "--help")).isZero();
    assertThat(run(missingFile, "--version")).isZero();

    // A misspelling picocli does not suggest (it goes by prefix).
    assertThat(run("results", "job", "--wiat")).isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("Did you mean: --wait?");

    // An option of one command is not set from the file, and says so.
    Path file = dir.resolve("fetchstats.properties");
    Files.writeString(file, "job-id=x\n");
    err.getBuffer().setLength(0);
    assertThat(run(Map.of(ConfigFile.ENV, file.toString()), "config")).isZero();
    assertThat(err.toString()).contains("'job-id' is not set from the config file");

    // A jar is not a URL list: not text.
    Path jar = dir.resolve("app.jar");
    Files.write(jar, new byte[] {'P', 'K', 3, 4, (byte) 0xC3, (byte) 0x28, 0, 0});
    assertThat(run("submit", "--bootstrap-servers", "localhost:1", jar.toString()))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("cannot read " + jar + ": not UTF-8 text");

    // JSON lists may name their job; two that disagree are refused.
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    Files.writeString(a, "{\"urls\": [\"http://h/a\"], \"jobId\": \"one\"}");
    Files.writeString(b, "{\"urls\": [\"http://h/b\"], \"jobId\": \"two\"}");
    assertThat(run("submit", "--bootstrap-servers", "localhost:1", a.toString(), b.toString()))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains("the lists name different job ids (one, two): give --job-id");
  }
}
