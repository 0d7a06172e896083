package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.JobList;
import io.fetchstats.results.JobState;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.UrlFilter;
import io.fetchstats.results.UrlResultsReader;
import io.fetchstats.submit.JobActions;
import io.fetchstats.submit.JobSubmitter;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List jobs, cancel a running one, retry a job's failed URLs.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Cancel.class,
      JobsCommand.Retry.class,
      CommandLine.HelpCommand.class
    })
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say which: 'jobs list', 'jobs cancel JOB_ID' or 'jobs retry JOB_ID'");
  }

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  /** The job's latest result, read from the job-results topic. */
  private static Optional<JobResult> latest(FetchStatsConfig config, String jobId) {
    return Optional.ofNullable(
        KafkaClients.latestByKey(config, Topics.of(config).jobResults(), jobId::equals).get(jobId));
  }

  private static int notFound(CommandSpec spec, JobActions.NoSuchJobException e) {
    spec.commandLine().getErr().println("fetchstats: " + e.getMessage());
    return Main.NOT_FOUND;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "The jobs known to job-results, newest first: state, URLs done, failed, bytes, when"
            + " submitted and last updated.",
        "Exit code: 0."
      })
  static final class ListJobs implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only jobs in this state: running, complete or cancelled.")
    String state;

    @Option(
        names = "--limit",
        defaultValue = "" + JobList.DEFAULT_LIMIT,
        description = "At most this many jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--after",
        paramLabel = "JOB_ID",
        description = "The jobs after this one (the last of the page before).")
    String after;

    @Option(
        names = "--json",
        description = "Print {\"jobs\": [...], \"next\": ...} as GET /jobs answers.")
    boolean json;

    @Override
    public Integer call() {
      JobState wanted = state == null ? null : JobState.named(state);
      if (limit < 1 || limit > JobList.MAX_LIMIT) {
        throw new IllegalArgumentException(
            "--limit must be from 1 to " + JobList.MAX_LIMIT + ", not " + limit);
      }
      FetchStatsConfig config = kafka.reachable(spec);
      List<JobResult> all =
          List.copyOf(
              KafkaClients.latestByKey(config, Topics.of(config).jobResults(), key -> true)
                  .values());
      JobList page = JobList.page(all, wanted, after, limit);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(ResultsJson.render(page));
      } else if (page.jobs().isEmpty()) {
        out.println(wanted == null ? "No jobs." : "No " + wanted.label() + " jobs.");
      } else {
        out.printf(
            "%-24s %-9s %13s %7s %10s  %-19s  %s%n",
            "JOB", "STATE", "URLS", "FAILED", "BYTES", "SUBMITTED", "UPDATED");
        page.jobs().forEach(job -> out.println(line(job)));
        if (page.next() != null) {
          out.printf("More: fetchstats jobs list --after %s%n", page.next());
        }
      }
      out.flush();
      return Main.OK;
    }

    private static String line(JobResult job) {
      return String.format(
          Locale.ROOT,
          "%-24s %-9s %13s %7d %10s  %-19s  %s",
          job.getJobId(),
          JobState.of(job).label(),
          job.getUrlsCompleted()
              + "/"
              + (job.getUrlsExpected() == null ? "?" : job.getUrlsExpected()),
          job.getUrlsFailed(),
          bytes(job.getBytes()),
          time(job.getSubmittedAt()),
          time(job.getUpdatedAt()));
    }

    private static String time(Long epochMillis) {
      return epochMillis == null ? "-" : LOCAL_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Bytes in the largest unit that keeps a whole number before the point. */
    private static String bytes(long bytes) {
      String[] units = {"B", "KB", "MB", "GB", "TB"};
      double value = bytes;
      int unit = 0;
      while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit++;
      }
      return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = {
        "Cancel a running job: its URLs not fetched yet end CANCELLED instead of being fetched;"
            + " those fetched (and those being fetched) keep their results, and the job completes"
            + " as cancelled.",
        "Exit codes: 0 cancelled (or cancelled before), 1 the job is complete, 4 no such job."
      })
  static final class Cancel implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job to cancel.")
    String jobId;

    @Override
    public Integer call() {
      FetchStatsConfig config = kafka.reachable(spec);
      PrintWriter out = spec.commandLine().getOut();
      try (JobSubmitter submitter = new JobSubmitter(config, Clock.systemUTC())) {
        boolean sent = JobActions.cancel(submitter, jobId, latest(config, jobId));
        out.println(
            sent
                ? "Cancelled job " + jobId + ": its URLs not fetched yet will end CANCELLED"
                : "Job " + jobId + " was cancelled before");
      } catch (JobActions.NoSuchJobException e) {
        return notFound(spec, e);
      }
      out.flush();
      return Main.OK;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = {
        "Submit the failed URLs of a complete job (cancelled ones included) as a new job with the"
            + " same format, which names the first as the job it retries.",
        "Exit codes: 0 submitted, 1 the job is running or has no failed URL, 4 no such job."
      })
  static final class Retry implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job whose failed URLs to fetch again.")
    String jobId;

    @Override
    public Integer call() {
      FetchStatsConfig config = kafka.reachable(spec);
      Optional<JobResult> job = latest(config, jobId);
      if (job.isEmpty()) {
        return notFound(spec, new JobActions.NoSuchJobException(jobId));
      }
      List<String> failed =
          UrlResultsReader.latest(config, jobId).stream()
              .filter(UrlFilter::failed)
              .map(UrlResult::getUrl)
              .toList();
      try (JobSubmitter submitter = new JobSubmitter(config, Clock.systemUTC())) {
        JobSubmitter.Submission retry = JobActions.retry(submitter, job.get(), failed);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "Submitted %s of job %s again as job %s%n",
            Main.count(retry.urls(), "failed URL"), jobId, retry.jobId());
        out.flush();
      }
      return Main.OK;
    }
  }
}
