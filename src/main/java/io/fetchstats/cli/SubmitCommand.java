package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.parse.Format;
import io.fetchstats.samples.SampleData;
import io.fetchstats.submit.JobSubmitter;
import io.fetchstats.submit.UrlListBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a job: a manifest and one request per distinct URL. Prints the job id.",
      "URLs come from files (one a line, # comments), standard input ('-' or no file), --url, or --samples."
    })
final class SubmitCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "Files of URLs; '-' is standard input.")
  List<String> files = new ArrayList<>();

  @Option(names = "--url", paramLabel = "URL", description = "A URL to fetch; repeatable.")
  List<String> urls = new ArrayList<>();

  @Option(
      names = "--samples",
      paramLabel = "BASE_URL",
      description = "Submit the sample URLs of a 'fetchstats samples' server at BASE_URL.")
  String samplesBaseUrl;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Parse every body of the job as TEXT, CSV, TSV, JSON or NDJSON, whatever its response says (default: from the Content-Type, the extension, the first bytes).")
  String format;

  @Option(
      names = "--wait",
      description =
          "Then wait until the job is complete, showing its progress, and print its result"
              + " instead of the job id (exit codes as 'results --wait').")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "With --wait, print the result as one line of JSON.")
  boolean json;

  @Option(
      names = "--skip-invalid",
      description =
          "Submit the URLs of a list that has entries which are not http(s) URLs, skipping those"
              + " (without it such a list is refused, naming them).")
  boolean skipInvalid;

  @Option(
      names = "--job-id",
      description = "Job id (letters, digits, '.', '_', '-'); default: a new one.")
  String jobId;

  @Override
  public Integer call() throws IOException {
    kafka.requireExternal(spec);
    FetchStatsConfig config = ConfigPart.config(kafka);
    List<String> all = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    int skipped = 0;
    List<Map.Entry<String, UrlListBody>> lists = new ArrayList<>();
    if (!urls.isEmpty()) {
      lists.add(Map.entry("--url", UrlListBody.read(String.join("\n", urls))));
    }
    if (samplesBaseUrl != null) {
      all.addAll(SampleData.urls(samplesBaseUrl.replaceAll("/+$", "")));
    }
    List<String> sources =
        files.isEmpty() && all.isEmpty() && lists.isEmpty() ? List.of("-") : files;
    for (String source : sources) {
      lists.add(Map.entry(source.equals("-") ? "standard input" : source, read(source)));
    }
    for (Map.Entry<String, UrlListBody> list : lists) {
      all.addAll(list.getValue().urls());
      if (skipInvalid) {
        skipped += list.getValue().invalid().size();
      } else if (!list.getValue().invalid().isEmpty()) {
        refusals.add(list.getValue().refusal(list.getKey(), "--skip-invalid submits the others"));
      }
    }
    if (!refusals.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), String.join(System.lineSeparator(), refusals));
    }
    if (skipped > 0) {
      spec.commandLine()
          .getErr()
          .printf("Skipped %d of the lists' entries: not http(s) URLs%n", skipped);
    }
    if (all.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no URLs to submit");
    }
    // A JSON list may name its job and format, as POST /jobs takes them; the options win.
    String askedId = jobId != null ? jobId : named(lists, UrlListBody::jobId, "job id", "--job-id");
    String formatName =
        format != null ? format : named(lists, UrlListBody::format, "format", "--format");
    Format bodies;
    try {
      bodies = formatName == null ? null : Format.named(formatName);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String id = askedId == null ? JobSubmitter.newJobId() : askedId;
    try {
      Keys.validateJobId(id);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    TopicAdmin.requireReachable(config);
    JobSubmitter.Submission submission;
    try (JobSubmitter submitter = new JobSubmitter(config, Clock.systemUTC())) {
      if (askedId != null) {
        submitter.requireNew(askedId);
      }
      submission = submitter.submit(id, all, bodies);
    }
    if (submission.duplicatesIgnored() > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "%s submitted once%n", Main.count(submission.duplicatesIgnored(), "duplicate URL"));
    }
    spec.commandLine()
        .getErr()
        .printf(
            "Submitted %s as job %s%n", Main.count(submission.urls(), "URL"), submission.jobId());
    if (!await) {
      spec.commandLine().getOut().println(submission.jobId());
      return Main.OK;
    }
    // Waiting, the output is the result alone (which names the job): one JSON line with --json.
    return new ResultsQuery(submission.jobId(), true, false, false, json, timeout)
        .run(config, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** The value the lists' JSON give for something, if any; lists that disagree are refused. */
  private String named(
      List<Map.Entry<String, UrlListBody>> lists,
      Function<UrlListBody, String> value,
      String what,
      String option) {
    List<String> named =
        lists.stream()
            .map(list -> value.apply(list.getValue()))
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    if (named.size() > 1) {
      throw new ParameterException(
          spec.commandLine(),
          "the lists name different "
              + what
              + "s ("
              + String.join(", ", named)
              + "): give "
              + option);
    }
    return named.isEmpty() ? null : named.get(0);
  }

  /** A list of URLs from a file or standard input: text, or JSON if it starts with [ or {. */
  private UrlListBody read(String source) {
    String text;
    try {
      text =
          source.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(source), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), Unreadable.message(source, e));
    }
    try {
      return UrlListBody.read(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), source + ": " + e.getMessage());
    }
  }
}
