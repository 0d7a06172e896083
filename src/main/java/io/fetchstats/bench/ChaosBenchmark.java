package io.fetchstats.bench;

import static io.fetchstats.bench.Report.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

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

  private static final Duration HARNESS_TIMEOUT = Duration.ofMinutes(1);
  private static final int PROBLEMS_LISTED = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Settings settings;
  private final Path dataDir;
  private final PrintWriter progress;
  private final ChaosJob job;
  private final AvroSerde<JobResult> results = AvroSerde.of(JobResult.class);
  private ChaosCluster cluster;
  private FetchStatsConfig config;

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
   * Starts the cluster, runs the undisturbed job, then one job per disturbance. A job that cannot
   * complete (a stage that exits on its own, a deadline passed) ends the run: its last entry says
   * why.
   */
  public List<Run> runAll() {
    if (cluster != null) {
      throw new IllegalStateException("a chaos benchmark runs once");
    }
    List<Run> runs = new ArrayList<>();
    ChaosCluster.tell(progress, "starting the cluster in %s", dataDir);
    cluster = ChaosCluster.start(dataDir, progress);
    config =
        FetchStatsConfig.builder()
            .kafka(kafka -> kafka.bootstrapServers(cluster.bootstrapServers()))
            .dataDir(dataDir.resolve("harness"))
            .build();
    List<Scenario> scenarios = new ArrayList<>(List.of(Scenario.UNDISTURBED));
    scenarios.addAll(settings.disturbances());
    JobResult reference = null;
    for (Scenario scenario : scenarios) {
      String jobId =
          "chaos-" + scenario.label() + "-" + UUID.randomUUID().toString().substring(0, 8);
      Run run;
      boolean goOn = true;
      try {
        Completed completed = run(scenario, jobId, reference);
        reference = reference == null ? completed.result() : reference;
        run = completed.run();
      } catch (RuntimeException e) {
        String why = Objects.toString(e.getMessage(), e.toString());
        run = new Run(scenario, jobId, 0, Duration.ZERO, false, false, List.of(why));
        goOn = false; // the cluster is in no state to run another job
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
        problems.add("the job completed before it could be disturbed: slow it with more latency");
      }
      disturb(scenario, jobId, disturbedAt);
    }
    JsonNode served =
        awaitServed(jobId, settings.jobTimeout(), r -> r.path("complete").asBoolean(false));
    Duration toComplete = Duration.ofNanos(System.nanoTime() - start);

    JobResult result = latest(jobId);
    if (!readTree(ResultsJson.render(result)).equals(served)) {
      problems.add("serve's answer differs from the result on the job-results topic");
    }
    problems.addAll(planProblems(result));
    List<String> outcomeProblems = outcomeProblems(jobId);
    problems.addAll(outcomeProblems);
    List<String> differences = reference == null ? List.of() : differences(result, reference);
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

  private void disturb(Scenario scenario, String jobId, int done) {
    ChaosCluster.Node processor = cluster.node("process-1");
    ChaosCluster.Node broker = cluster.node("broker");
    List<ChaosCluster.Node> killed =
        switch (scenario) {
          case KILL_INGEST -> List.of(busyIngest(jobId));
          case KILL_PROCESSOR -> List.of(processor);
          case KILL_BOTH -> List.of(busyIngest(jobId), processor);
          case BROKER_STOP, BROKER_KILL -> List.of(broker);
          case UNDISTURBED -> List.of();
        };
    ChaosCluster.tell(
        progress,
        "%s: %d of %d URLs done: %s %s",
        scenario.label(),
        done,
        settings.urls(),
        scenario == Scenario.BROKER_STOP ? "stopping" : "killing",
        String.join(" and ", killed.stream().map(ChaosCluster.Node::name).toList()));
    for (ChaosCluster.Node node : killed) {
      if (scenario == Scenario.BROKER_STOP) {
        cluster.stop(node);
      } else {
        cluster.kill(node);
      }
    }
    if (killed.contains(broker) && !settings.brokerDowntime().isZero()) {
      ChaosCluster.tell(
          progress, "the broker stays away for %d s", settings.brokerDowntime().toSeconds());
      pause(settings.brokerDowntime());
    }
    // Started again at once, as a supervisor would.
    cluster.start(killed);
  }

  /** The broker's downtime: the scenario, not a wait for anything. */
  private static void pause(Duration downtime) {
    try {
      Thread.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the broker was away", e);
    }
  }

  /**
   * The ingest whose partition of the urls topic holds the job (all its URLs share its key), as the
   * consumer group says: the member's client id ends with its process id (see IngestIdentity).
   */
  private ChaosCluster.Node busyIngest(String jobId) {
    int partition =
        Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8)))
            % ChaosCluster.PARTITIONS;
    TopicPartition urls = new TopicPartition(Topics.of(config).urls().name(), partition);
    String group = IngestService.groupId(Topics.of(config));
    try (Admin admin = Admin.create(KafkaClients.common(config))) {
      return Waits.until(
          "the ingest assigned " + urls,
          HARNESS_TIMEOUT,
          () ->
              members(admin, group).stream()
                  .filter(member -> member.assignment().topicPartitions().contains(urls))
                  .map(
                      member -> member.clientId().substring(member.clientId().lastIndexOf(':') + 1))
                  .flatMap(pid -> cluster.nodeWithPid(Long.parseLong(pid)).stream())
                  .findFirst());
    }
  }

  private static List<MemberDescription> members(Admin admin, String group) {
    try {
      return List.copyOf(
          admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(HARNESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .members());
    } catch (ExecutionException | TimeoutException e) {
      return List.of(); // asked again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
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

  /** The job's latest result on the job-results topic, which must say it is complete. */
  private JobResult latest(String jobId) {
    try (ResultsReader reader = new ResultsReader(config, jobId)) {
      return reader
          .latest()
          .filter(JobResult::getComplete)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "serve shows job " + jobId + " complete, the job-results topic does not"));
    }
  }

  /** Where the result's counts and failures are not what the job was planned to give. */
  private List<String> planProblems(JobResult result) {
    List<String> problems = new ArrayList<>();
    int urls = job.urls().size();
    long failing = job.failing();
    expect(
        problems, "URLs expected", urls, Objects.requireNonNullElse(result.getUrlsExpected(), 0));
    expect(problems, "URLs completed", urls, result.getUrlsCompleted());
    expect(problems, "URLs succeeded", urls - failing, result.getUrlsSucceeded());
    expect(problems, "URLs failed", failing, result.getUrlsFailed());
    expect(problems, "URLs duplicate", 0, result.getUrlsDuplicate());
    List<String> planned =
        job.urls().stream()
            .filter(url -> !url.ok())
            .sorted(Comparator.comparing(ChaosJob.PlannedUrl::url))
            .map(url -> url.url() + " " + url.failure())
            .limit(
                config
                    .processing()
                    .maxFailuresListed()) // the processors' default too: the first by URL
            .toList();
    List<String> failures =
        result.getFailures().stream()
            .map(failure -> failure.getUrl() + " " + failure.getErrorClass())
            .toList();
    if (!failures.equals(planned)) {
      problems.add(
          "failures listed are not those planned: "
              + limited(
                  result.getFailures().stream()
                      .filter(f -> !planned.contains(f.getUrl() + " " + f.getErrorClass()))
                      .map(ChaosBenchmark::describe)
                      .toList()));
    }
    return problems;
  }

  private static String describe(UrlFailure failure) {
    return failure.getUrl() + " " + failure.getErrorClass() + " (" + failure.getError() + ")";
  }

  private static void expect(List<String> problems, String what, long expected, long actual) {
    if (actual != expected) {
      problems.add(what + ": " + actual + ", not " + expected);
    }
  }

  /**
   * Where the job's committed outcomes on the fetches topic are not one per URL, as planned: none,
   * two, a duplicate, an unplanned URL, or another failure than planned.
   */
  private List<String> outcomeProblems(String jobId) {
    Map<String, List<FetchOutcome>> byUrl = new HashMap<>();
    committedOutcomes(jobId)
        .forEach(
            outcome ->
                byUrl.computeIfAbsent(outcome.getUrl(), url -> new ArrayList<>()).add(outcome));
    List<String> problems = new ArrayList<>();
    for (ChaosJob.PlannedUrl planned : job.urls()) {
      List<FetchOutcome> outcomes = byUrl.remove(planned.url());
      if (outcomes == null || outcomes.size() != 1) {
        problems.add((outcomes == null ? 0 : outcomes.size()) + " outcomes for " + planned.url());
        continue;
      }
      FetchOutcome outcome = outcomes.get(0);
      String failure = planned.ok() ? null : planned.failure().name();
      if (outcome.getDuplicateOf() != null || !Objects.equals(outcome.getErrorClass(), failure)) {
        problems.add(
            planned.url()
                + ": "
                + (outcome.getOk() ? "ok" : outcome.getErrorClass() + " " + outcome.getError())
                + (outcome.getDuplicateOf() == null ? "" : " (a duplicate)")
                + ", not "
                + (planned.ok() ? "ok" : failure));
      }
    }
    byUrl.keySet().forEach(url -> problems.add("an outcome for " + url + ", not of the job"));
    return problems.isEmpty() ? List.of() : List.of("outcomes: " + limited(problems));
  }

  /** The job's outcomes on the fetches topic, as a read_committed consumer sees them. */
  private List<FetchOutcome> committedOutcomes(String jobId) {
    String topic = Topics.of(config).fetches().name();
    String prefix = jobId + "|";
    AvroSerde<FetchOutcome> serde = AvroSerde.of(FetchOutcome.class);
    List<FetchOutcome> outcomes = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.waitedOnReader(config),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      KafkaClients.readToEnd(
          consumer,
          topic,
          record -> {
            if (record.key() != null && record.key().startsWith(prefix)) {
              outcomes.add(serde.decode(record.value()));
            }
          });
    }
    return outcomes;
  }

  /**
   * The fields of the result (its job id aside) whose values differ from the reference's; none when
   * the two encode to the same bytes.
   */
  private List<String> differences(JobResult result, JobResult reference) {
    JobResult a = JobResult.newBuilder(result).setJobId("").build();
    JobResult b = JobResult.newBuilder(reference).setJobId("").build();
    if (Arrays.equals(results.encode(a), results.encode(b))) {
      return List.of();
    }
    List<String> fields = new ArrayList<>();
    for (Schema.Field field : JobResult.getClassSchema().getFields()) {
      if (!Objects.equals(a.get(field.pos()), b.get(field.pos()))) {
        fields.add(field.name());
      }
    }
    return fields.isEmpty() ? List.of("their encoding") : fields;
  }

  private static String limited(List<String> problems) {
    String listed =
        String.join("; ", problems.subList(0, Math.min(problems.size(), PROBLEMS_LISTED)));
    return problems.size() > PROBLEMS_LISTED
        ? listed + "; and " + (problems.size() - PROBLEMS_LISTED) + " more"
        : listed;
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
