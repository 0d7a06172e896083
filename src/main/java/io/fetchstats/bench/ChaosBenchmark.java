package io.fetchstats.bench;

import static io.fetchstats.bench.Report.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The chaos suite: a {@link ChaosCluster} of separate JVMs (the broker alone, two ingest, two
 * process, serve) runs one job after another on the loopback {@link SampleServer}, the first
 * undisturbed, each other disturbed once it is under way (a quarter of its URLs done): the ingest
 * fetching it killed (SIGKILL) and started again, a processor killed and started again, both at
 * once, and the broker stopped (SIGTERM) or killed and started again on its data dir while the
 * stages keep running. Every job's result, read from the job-results topic, must have the bits of
 * the undisturbed one's, and the outcomes it was planned to have ({@link ChaosJob}); every URL must
 * have exactly one committed outcome on the fetches topic; serve must answer with the same result.
 * A job is timed from its submission until serve shows it complete.
 */
public final class ChaosBenchmark implements AutoCloseable {
  /** A job of the run, and what disturbs it. */
  public enum Scenario {
    UNDISTURBED("undisturbed (the reference)"),
    KILL_INGEST("kill -9 of the busy ingest (fetching the job)"),
    KILL_PROCESSOR("kill -9 of a processor"),
    KILL_BOTH("kill -9 of the busy ingest and a processor"),
    BROKER_STOP("broker stopped (SIGTERM) and started again"),
    BROKER_KILL("broker killed (kill -9) and started again");

    private final String description;

    Scenario(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }

    /** Its name on the command line and in job ids: {@code kill-ingest}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * What to run.
   *
   * @param urls URLs of each job
   * @param latencyMs how long the server takes to answer a good URL: paces a job, so that it is
   *     still under way when it is disturbed
   * @param disturbances the jobs after the undisturbed one, in order
   * @param jobTimeout how long a job may take to complete, disturbance and restarts included
   * @param brokerDowntime how long a stopped or killed broker stays away before it is started
   *     again: past the clients' timeouts (a minute) the stages must ride out errors, not delays
   */
  public record Settings(
      int urls,
      int latencyMs,
      List<Scenario> disturbances,
      Duration jobTimeout,
      Duration brokerDowntime) {
    public Settings {
      disturbances = List.copyOf(disturbances);
      if (urls < ChaosJob.FAILING_EVERY) {
        throw new IllegalArgumentException(
            "a job needs " + ChaosJob.FAILING_EVERY + " URLs at least, one of them failing");
      }
      if (latencyMs < 0) {
        throw new IllegalArgumentException("latency must not be negative");
      }
      if (brokerDowntime.isNegative()) {
        throw new IllegalArgumentException("the broker's downtime must not be negative");
      }
      if (disturbances.contains(Scenario.UNDISTURBED)) {
        throw new IllegalArgumentException("the undisturbed job always runs first, once");
      }
    }
  }

  /**
   * What one job came to.
   *
   * @param disturbedAt URLs its result counted when it was disturbed (0 for the reference)
   * @param toComplete from its submission until serve showed it complete
   * @param identical its result has the bits of the reference's (job id aside)
   * @param oneOutcomeEach every URL has exactly one committed outcome, the one planned
   * @param problems everything found wrong, in words
   */
  public record Run(
      Scenario scenario,
      String jobId,
      int disturbedAt,
      Duration toComplete,
      boolean identical,
      boolean oneOutcomeEach,
      List<String> problems) {
    public Run {
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return identical && oneOutcomeEach && problems.isEmpty();
    }
  }

  /** How long the harness waits for the cluster to get a job under way or to say who has it. */
  static final Duration HARNESS_TIMEOUT = Duration.ofMinutes(1);

  private final Settings settings;
  private final Path dataDir;
  private final PrintWriter progress;
  private final ChaosJob job;
  private ChaosCluster cluster;
  private ChaosChecks checks;
  private ChaosDisturbance disturbance;

  /**
   * @param dataDir where the cluster's nodes keep their data and logs
   * @param progress told what happens, as it happens
   */
  public ChaosBenchmark(
      Settings settings, SampleServer server, Path dataDir, PrintWriter progress) {
    this.settings = settings;
    this.dataDir = dataDir;
    this.progress = progress;
    this.job = ChaosJob.of(server.baseUrl(), settings.urls(), settings.latencyMs());
  }

  /** The machine and the run's shape. */
  public String environment() {
    return format(
        "- %d cores, shared by the sample server, this harness and 6 JVMs (the broker, 2 ingest,"
            + " 2 process, serve); system load average %.2f at the start; %s %s%n"
            + "- the JVMs' options: %s%n"
            + "- %d partitions, 1 stream thread a processor; a job of %,d URLs (%d failing), good"
            + " ones answered after %d ms%n",
        Runtime.getRuntime().availableProcessors(),
        Report.loadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        String.join(" ", ChaosCluster.JVM_OPTIONS),
        ChaosCluster.PARTITIONS,
        settings.urls(),
        job.failing(),
        settings.latencyMs());
  }

  /**
   * Starts the cluster, runs the undisturbed job, then one job per disturbance (another, up to
   * three in all, when one completes before it could be disturbed). A job that cannot complete (a
   * stage that exits on its own, a deadline passed) ends the run: its last entry says why.
   */
  public List<Run> runAll() {
    if (cluster != null) {
      throw new IllegalStateException("a chaos benchmark runs once");
    }
    List<Run> runs = new ArrayList<>();
    ChaosCluster.tell(progress, "starting the cluster in %s", dataDir);
    cluster = ChaosCluster.start(dataDir, progress);
    FetchStatsConfig config =
        FetchStatsConfig.builder()
            .kafka(kafka -> kafka.bootstrapServers(cluster.bootstrapServers()))
            .dataDir(dataDir.resolve("harness"))
            .build();
    checks = new ChaosChecks(job, config);
    disturbance = new ChaosDisturbance(cluster, config, settings, progress);
    List<Scenario> scenarios = new ArrayList<>(List.of(Scenario.UNDISTURBED));
    scenarios.addAll(settings.disturbances());
    JobResult reference = null;
    for (Scenario scenario : scenarios) {
      String jobId = newJobId(scenario);
      Run run;
      boolean goOn = true;
      try {
        Completed completed = run(scenario, jobId, reference);
        // A stage that stalled a moment and then caught up at once can finish a small job between
        // two looks: a job that was fine but not disturbed tested nothing, so another one is
        // disturbed instead (one with any other problem fails the scenario).
        for (int attempt = 1;
            completed.run().problems().equals(List.of(NOT_DISTURBED)) && attempt < DISTURB_ATTEMPTS;
            attempt++) {
          ChaosCluster.tell(
              progress,
              "%s: job %s completed before it could be disturbed; again with a new job",
              scenario.label(),
              jobId);
          jobId = newJobId(scenario);
          completed = run(scenario, jobId, reference);
        }
        reference = reference == null ? completed.result() : reference;
        run = completed.run();
      } catch (RuntimeException e) {
        String why = Objects.toString(e.getMessage(), e.toString());
        run = new Run(scenario, jobId, 0, Duration.ZERO, false, false, List.of(why));
        goOn = false; // the cluster is in no state to run another job
        cluster.dumpThreads(); // where each stage waits, beside its log
      }
      runs.add(run);
      ChaosCluster.tell(
          progress,
          "%s: %s in %.1f s%s",
          scenario.label(),
          run.passed() ? "passed" : "FAILED",
          run.toComplete().toMillis() / 1e3,
          run.problems().isEmpty() ? "" : ": " + String.join("; ", run.problems()));
      if (!goOn) {
        break;
      }
    }
    return runs;
  }

  private record Completed(Run run, JobResult result) {}

  private static final String NOT_DISTURBED =
      "the job completed before it could be disturbed: slow it with more latency";

  /** Jobs tried for a disturbance before its scenario fails as not disturbed. */
  private static final int DISTURB_ATTEMPTS = 3;

  private static String newJobId(Scenario scenario) {
    return "chaos-" + scenario.label() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Completed run(Scenario scenario, String jobId, JobResult reference) {
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    cluster.submit(jobId, job.list());
    int disturbedAt = 0;
    if (scenario != Scenario.UNDISTURBED) {
      // A quarter done: state built up in every stage, most of the job still to come.
      int quarter = Math.max(1, settings.urls() / 4);
      JsonNode underWay = awaitServed(jobId, HARNESS_TIMEOUT, r -> completed(r) >= quarter);
      disturbedAt = completed(underWay);
      if (underWay.path("complete").asBoolean()) {
        problems.add(NOT_DISTURBED);
      } else {
        disturbance.disturb(scenario, jobId, disturbedAt);
      }
    }
    JsonNode served =
        awaitServed(jobId, settings.jobTimeout(), r -> r.path("complete").asBoolean(false));
    Duration toComplete = Duration.ofNanos(System.nanoTime() - start);

    JobResult result = checks.latest(jobId);
    if (!ChaosChecks.servedAsPublished(result, served)) {
      problems.add("serve's answer differs from the result on the job-results topic");
    }
    problems.addAll(checks.planProblems(result));
    List<String> outcomeProblems = checks.outcomeProblems(jobId);
    problems.addAll(outcomeProblems);
    List<String> differences =
        reference == null ? List.of() : checks.differences(result, reference);
    if (!differences.isEmpty()) {
      problems.add("differs from the undisturbed result in " + String.join(", ", differences));
    }
    return new Completed(
        new Run(
            scenario,
            jobId,
            disturbedAt,
            toComplete,
            differences.isEmpty(),
            outcomeProblems.isEmpty(),
            problems),
        result);
  }

  /** Polls serve for the job's result until it matches, failing if a node exits meanwhile. */
  private JsonNode awaitServed(String jobId, Duration timeout, Predicate<JsonNode> until) {
    return Waits.until(
        "job " + jobId + " served",
        timeout,
        () -> {
          cluster.requireRunning();
          return cluster.job(jobId).filter(until);
        });
  }

  private static int completed(JsonNode result) {
    return result.path("urlsCompleted").asInt();
  }

  /** The runs as a markdown section: one row a job, then what went wrong, if anything. */
  public String report(List<Run> runs) {
    MarkdownTable table =
        new MarkdownTable(
            "scenario",
            "URLs done when disturbed",
            "s to complete",
            "result identical",
            "one outcome per URL");
    for (Run run : runs) {
      table.row(
          run.scenario().description(),
          run.scenario() == Scenario.UNDISTURBED ? "-" : format("%,d", run.disturbedAt()),
          run.toComplete().isZero() ? "-" : format("%.1f", run.toComplete().toMillis() / 1e3),
          run.identical() ? "yes" : "no",
          run.oneOutcomeEach() ? "yes" : "no");
    }
    StringBuilder notes = new StringBuilder();
    for (Run run : runs) {
      run.problems()
          .forEach(problem -> notes.append(format("- %s: %s%n", run.scenario().label(), problem)));
    }
    return Report.section(
        "Jobs disturbed",
        format(
            "Jobs of %,d URLs, one after another on one cluster; each disturbed once a quarter of"
                + " its URLs are done, the JVMs it kills started again %s. A job is timed from its"
                + " submission until serve shows it complete; its result is compared, bit for bit,"
                + " with the undisturbed job's, and its outcomes on the fetches topic with the plan.",
            settings.urls(),
            settings.brokerDowntime().isZero()
                ? "at once"
                : format(
                    "at once (the broker after %d s away)", settings.brokerDowntime().toSeconds())),
        table,
        notes.toString());
  }

  /** Kills the cluster's JVMs, if a run started them. */
  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
