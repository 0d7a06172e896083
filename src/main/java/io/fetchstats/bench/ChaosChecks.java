package io.fetchstats.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.ResultsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * What a completed chaos job is checked against: serve's answer, the plan ({@link ChaosJob}), one
 * committed outcome per URL on the fetches topic, and the undisturbed job's result. Each check
 * gives what it found wrong, in words.
 */
final class ChaosChecks {
  private static final int PROBLEMS_LISTED = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChaosJob job;
  private final FetchStatsConfig config;
  private final Topics topics;

  /**
   * @param config the harness's own, on the cluster's broker
   */
  ChaosChecks(ChaosJob job, FetchStatsConfig config) {
    this.job = job;
    this.config = config;
    this.topics = Topics.of(config);
  }

  /** The job's latest result on the job-results topic, which must say it is complete. */
  JobResult latest(String jobId) {
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

  /** Whether serve answered with the result as {@code results --json} renders it. */
  static boolean servedAsPublished(JobResult result, JsonNode served) {
    return readTree(ResultsJson.render(result)).equals(served);
  }

  /** Where the result's counts and failures are not what the job was planned to give. */
  List<String> planProblems(JobResult result) {
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
                      .map(ChaosChecks::describe)
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
  List<String> outcomeProblems(String jobId) {
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
    String prefix = jobId + "|";
    List<FetchOutcome> outcomes = new ArrayList<>();
    KafkaClients.readCommitted(
        config,
        topics.fetches().name(),
        record -> {
          if (record.key() != null && record.key().startsWith(prefix)) {
            outcomes.add(topics.fetches().decode(record.value()));
          }
        });
    return outcomes;
  }

  /**
   * The fields of the result (its job id and times aside) whose values differ from the reference's;
   * none when the two encode to the same bytes.
   */
  List<String> differences(JobResult result, JobResult reference) {
    JobResult a = statisticsOf(result);
    JobResult b = statisticsOf(reference);
    if (Arrays.equals(topics.jobResults().encode(a), topics.jobResults().encode(b))) {
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

  /** The result without what is the job's own: its id, and when it was submitted and updated. */
  private static JobResult statisticsOf(JobResult result) {
    return JobResult.newBuilder(result)
        .setJobId("")
        .setSubmittedAt(null)
        .setUpdatedAt(null)
        .build();
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
}
