package io.fetchstats.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.parse.Format;
import io.fetchstats.results.JobResults;
import io.fetchstats.results.UrlFilter;
import io.fetchstats.submit.JobSink;
import io.fetchstats.submit.JobSubmitter.Submission;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jobs API's handling of requests, on results and a job sink held in memory: no broker, no
 * server. A refused request is an {@link ApiException} with the status the server would answer.
 */
@Timeout(30)
class JobsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_REQUEST = 1024;

  private final InMemoryResults results = new InMemoryResults();
  private final InMemorySink sink = new InMemorySink();
  private final JobsApi api = new JobsApi(results, sink);

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void aTextListIsSubmittedUnderANewJobIdWithItsCountsAndLocation() throws IOException {
    Response response =
        api.jobs(post("/jobs", "text/plain", "http://h/a\nhttp://h/b\nhttp://h/a\n"));

    assertThat(response.status()).isEqualTo(201);
    Submitted submitted = sink.submitted.get(0);
    assertThat(submitted.jobId()).startsWith("job-");
    assertThat(submitted.lines()).containsExactly("http://h/a", "http://h/b", "http://h/a");
    assertThat(submitted.format()).isNull();
    assertThat(sink.checkedNew).isEmpty(); // a new id is not looked up
    JsonNode body = body(response);
    assertThat(body.get("jobId").asText()).isEqualTo(submitted.jobId());
    assertThat(body.get("urls").asInt()).isEqualTo(2);
    assertThat(body.get("duplicatesIgnored").asInt()).isEqualTo(1);
    assertThat(response.headers()).containsEntry("Location", "/jobs/" + submitted.jobId());
  }

  @Test
  void aGivenJobIdAndFormatAreCheckedAndPassedOn() {
    api.jobs(post("/jobs?jobId=mine&format=csv", "text/plain", "http://h/a"));
    api.jobs(
        post(
            "/jobs",
            "application/json; charset=utf-8",
            "{\"jobId\": \"json-1\", \"format\": \"ndjson\", \"urls\": [\"http://h/b\"]}"));
    api.jobs(post("/jobs", "application/json", "[\"http://h/c\"]"));

    assertThat(sink.checkedNew).containsExactly("mine", "json-1");
    assertThat(sink.submitted)
        .extracting(Submitted::jobId, Submitted::lines, Submitted::format)
        .containsExactly(
            tuple("mine", List.of("http://h/a"), Format.CSV),
            tuple("json-1", List.of("http://h/b"), Format.NDJSON),
            tuple(sink.submitted.get(2).jobId(), List.of("http://h/c"), null));
  }

  @Test
  void aSubmissionTheApiCannotReadIsRefusedBeforeTheSink() {
    assertRefused(
        () -> api.jobs(post("/jobs?format=xml", "text/plain", "http://h/a")),
        400,
        "unknown format");
    assertRefused(
        () -> api.jobs(post("/jobs?jobId=no%20spaces", "text/plain", "http://h/a")),
        400,
        "invalid job id");
    assertRefused(
        () -> api.jobs(post("/jobs", "application/json", "[\"http://h/a\"")), 400, "invalid JSON");
    assertRefused(
        () -> api.jobs(post("/jobs", "application/json", "{\"urls\": [1]}")), 400, "JSON string");
    assertRefused(
        () -> api.jobs(post("/jobs", "application/json", "{\"list\": []}")),
        400,
        "JSON array of URLs");
    assertRefused(
        () -> api.jobs(post("/jobs", "application/json", "{\"urls\": [], \"jobId\": 7}")),
        400,
        "\"jobId\" must be a string");
    assertRefused(() -> api.jobs(request("PUT", "/jobs", null, "")), 405, "GET or POST");
    assertThat(sink.submitted).isEmpty();
  }

  @Test
  void aListWithEntriesThatAreNotUrlsIsRefusedNamingThemUnlessAskedToSkipThem() throws IOException {
    String list = "http://h/a\nhello world\n# a comment\nftp://h/b\n";
    assertRefused(
        () -> api.jobs(post("/jobs", "text/plain", list)),
        400,
        "the URL list: 2 entries are not http(s) URLs; line 2: 'hello world' holds a space;"
            + " line 4: 'ftp://h/b' has the scheme ftp (only http and https are fetched)"
            + " (?skipInvalid=true submits the others)");
    assertThat(sink.submitted).isEmpty();

    Response response = api.jobs(post("/jobs?skipInvalid=true", "text/plain", list));

    assertThat(response.status()).isEqualTo(201);
    assertThat(sink.submitted.get(0).lines()).containsExactly("http://h/a");
    assertThat(body(response).get("invalidSkipped").asInt()).isEqualTo(2);
  }

  @Test
  void aBodyThatStartsAsJsonIsReadAsJsonWhateverItsContentType() {
    api.jobs(post("/jobs", "application/x-www-form-urlencoded", " [\"http://h/a\"]"));
    api.jobs(post("/jobs", "text/plain", "{\"urls\": [\"http://h/b\"], \"jobId\": \"j-2\"}"));

    assertThat(sink.submitted)
        .extracting(Submitted::lines)
        .containsExactly(List.of("http://h/a"), List.of("http://h/b"));
    assertThat(sink.submitted.get(1).jobId()).isEqualTo("j-2");
  }

  @Test
  void brokenJsonIsRefusedSayingWhereItBroke() {
    assertThatThrownBy(() -> api.jobs(post("/jobs", "application/json", "[\"http://h/a\",\n  x]")))
        .isInstanceOfSatisfying(
            ApiException.class,
            refused -> {
              assertThat(refused.status()).isEqualTo(400);
              assertThat(refused.getMessage())
                  .startsWith("invalid JSON at line 2, column 3: Unrecognized token 'x'")
                  .doesNotContain("Source")
                  .doesNotContain("StreamReadFeature");
            });
  }

  @Test
  void aFileThatIsNoUrlListIsRefused() {
    byte[] jar = new byte[400]; // within the test's request limit once sent as UTF-8
    new java.util.Random(7).nextBytes(jar);
    jar[0] = 'P';
    jar[1] = 'K';
    assertRefused(
        () ->
            api.jobs(
                request(
                    "POST",
                    "/jobs",
                    "application/octet-stream",
                    new String(jar, StandardCharsets.ISO_8859_1),
                    false)),
        400,
        "http(s) URL");
    assertThat(sink.submitted).isEmpty();
  }

  @Test
  void whatTheSinkRefusesIsAnsweredWithTheStatusItMeans() {
    sink.failure = new IllegalArgumentException("no URLs to submit");
    assertRefused(() -> api.jobs(post("/jobs", "text/plain", "# nothing\n")), 400, "no URLs");
    sink.failure = new IllegalStateException("the submitter is closed");
    assertRefused(() -> api.jobs(post("/jobs", "text/plain", "http://h/a")), 503, "stopping");
  }

  @Test
  void aJobIdBeingSubmittedIsRefusedToASecondRequestUntilTheFirstEnds() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    sink.whileSubmitting =
        () -> {
          entered.countDown();
          release.await();
        };
    CompletableFuture<Response> first =
        CompletableFuture.supplyAsync(
            () -> api.jobs(post("/jobs?jobId=twice", "text/plain", "http://h/a")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertRefused(
        () -> api.jobs(post("/jobs?jobId=twice", "text/plain", "http://h/a")),
        409,
        "being submitted by another request");
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);

    sink.whileSubmitting = () -> {};
    assertThat(api.jobs(post("/jobs?jobId=twice", "text/plain", "http://h/a")).status())
        .isEqualTo(201);
  }

  @Test
  void aBodyOverTheLimitIs413WithOrWithoutALength() {
    String big = "http://h/a\n".repeat((int) MAX_REQUEST / 10);
    assertRefused(() -> api.jobs(post("/jobs", "text/plain", big)), 413, "--max-request-size");
    assertRefused(
        () -> api.analyze(request("POST", "/analyze", "application/json", big, false)),
        413,
        "--max-request-size");
    assertThat(sink.submitted).isEmpty();
  }

  @Test
  void aJobIsServedAsItsLatestResult() throws IOException {
    results.add(job("job-1"));

    Response response = api.jobs(get("/jobs/job-1"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(body(response).get("jobId").asText()).isEqualTo("job-1");
    assertThat(body(response).get("urlsCompleted").asInt()).isEqualTo(2);
    assertRefused(() -> api.jobs(get("/jobs/job-2")), 404, "no job job-2");
    assertRefused(() -> api.jobs(get("/jobs/bad%20id")), 400, "invalid job id");
    assertRefused(() -> api.jobs(get("/jobs/job-1/other")), 404, "no such resource");
    assertRefused(() -> api.jobs(request("PUT", "/jobs/job-1", null, "")), 405, "GET or DELETE");
    assertRefused(
        () -> api.jobs(request("DELETE", "/jobs/job-1", null, "")), 409, "nothing is left");
  }

  @Test
  void aJobsUrlsArePagedInUrlOrderAfterTheLastOneGiven() throws IOException {
    results.add(job("job-1"));
    List.of("http://h/c", "http://h/a", "http://h/b")
        .forEach(url -> results.add(url("job-1", url)));
    results.add(url("job-10", "http://h/other"));

    JsonNode all = body(api.jobs(get("/jobs/job-1/urls")));
    assertThat(urls(all)).containsExactly("http://h/a", "http://h/b", "http://h/c");
    assertThat(all.get("next").isNull()).isTrue();

    JsonNode first = body(api.jobs(get("/jobs/job-1/urls?limit=2")));
    assertThat(urls(first)).containsExactly("http://h/a", "http://h/b");
    assertThat(first.get("next").asText()).isEqualTo("http://h/b");
    JsonNode second = body(api.jobs(get("/jobs/job-1/urls?limit=2&after=http%3A%2F%2Fh%2Fb")));
    assertThat(urls(second)).containsExactly("http://h/c");
    assertThat(second.get("next").isNull()).isTrue();
    JsonNode past = body(api.jobs(get("/jobs/job-1/urls?after=http%3A%2F%2Fh%2Fc")));
    assertThat(urls(past)).isEmpty();
  }

  @Test
  void aPageOfAnUnknownJobOrOfABadSizeIsRefused() {
    assertRefused(() -> api.jobs(get("/jobs/nobody/urls")), 404, "no job nobody");
    for (String limit : List.of("0", "10001", "ten", "")) {
      assertRefused(
          () -> api.jobs(get("/jobs/job-1/urls?limit=" + limit)),
          400,
          "limit must be a whole number from 1 to 10000");
    }
  }

  @Test
  void analyzeGivesTheStatisticsOfAJsonArray() throws IOException {
    JsonNode result = body(api.analyze(post("/analyze", "application/json", "[1, 2, 3, -4]")));

    assertThat(result.get("rows").asLong()).isEqualTo(4);
    JsonNode field = result.get("fields").get(0);
    assertThat(field.get("count").asLong()).isEqualTo(4);
    assertThat(field.get("sum").asDouble()).isEqualTo(2.0);
    assertThat(field.get("min").asDouble()).isEqualTo(-4.0);
    assertThat(field.get("max").asDouble()).isEqualTo(3.0);
    assertRefused(
        () -> api.analyze(post("/analyze", "application/json", "[1, 2")), 400, "PARSE_ERROR");
    assertRefused(() -> api.analyze(get("/analyze")), 405, "POST");
    assertRefused(
        () -> api.analyze(post("/analyze/more", "application/json", "[1]")),
        404,
        "no such resource");
  }

  @Test
  void analyzeReadsCsvTsvNdjsonAndTextByContentType() throws IOException {
    assertThat(sumOf("text/csv", "id,value\n1,2.5\n2,4\n", "value")).isEqualTo(6.5);
    assertThat(sumOf("text/tab-separated-values", "id\tvalue\n1\t2.5\n", "value")).isEqualTo(2.5);
    assertThat(sumOf("application/x-ndjson", "{\"v\": 1}\n{\"v\": 2}\n", "v")).isEqualTo(3.0);
    assertThat(sumOf("text/plain; charset=utf-8", "1 2 3\n4\n", "value")).isEqualTo(10.0);
    assertThat(sumOf("application/json", "{\"a\": {\"b\": [1, 2]}}", "a.b[]")).isEqualTo(3.0);
    // Cells without numbers are counted, as for a job's URL; what cannot be read is refused.
    JsonNode words = body(api.analyze(post("/analyze", "text/plain", "no numbers\n")));
    assertThat(words.get("fields").get(0).get("nonNumeric").asLong()).isEqualTo(2);
    assertRefused(
        () -> api.analyze(post("/analyze", "text/plain", "1\u0000\u0000\u0000\u0000 2")),
        400,
        "NOT_TEXT");
  }

  private double sumOf(String contentType, String body, String field) throws IOException {
    JsonNode result = body(api.analyze(post("/analyze", contentType, body)));
    for (JsonNode each : result.get("fields")) {
      if (each.get("name").asText().equals(field)) {
        return each.get("sum").asDouble();
      }
    }
    throw new AssertionError("no field " + field + " in " + result);
  }

  @Test
  void jobsAreListedNewestFirstByStateAPageAtATime() throws IOException {
    results.add(at(job("old"), 1_000));
    results.add(at(running(job("mid")), 2_000));
    results.add(at(cancelled(running(job("new"))), 3_000));

    JsonNode all = body(api.jobs(get("/jobs")));
    assertThat(all.get("jobs"))
        .extracting(job -> job.get("jobId").asText(), job -> job.get("state").asText())
        .containsExactly(
            tuple("new", "cancelled"), tuple("mid", "running"), tuple("old", "complete"));
    assertThat(all.get("jobs").get(0).get("submittedAt").asText())
        .isEqualTo("1970-01-01T00:00:03Z");
    assertThat(all.get("jobs").get(0).has("fields")).isFalse(); // a list stays small
    assertThat(all.get("next").isNull()).isTrue();

    JsonNode first = body(api.jobs(get("/jobs?limit=2")));
    assertThat(first.get("jobs")).hasSize(2);
    assertThat(first.get("next").asText()).isEqualTo("mid");
    JsonNode second = body(api.jobs(get("/jobs?limit=2&after=mid")));
    assertThat(second.get("jobs"))
        .extracting(job -> job.get("jobId").asText())
        .containsExactly("old");
    assertThat(second.get("next").isNull()).isTrue();

    JsonNode running = body(api.jobs(get("/jobs?state=RUNNING")));
    assertThat(running.get("jobs"))
        .extracting(job -> job.get("jobId").asText())
        .containsExactly("mid");
    assertRefused(() -> api.jobs(get("/jobs?state=done")), 400, "running, complete or cancelled");
    assertRefused(() -> api.jobs(get("/jobs?after=gone")), 400, "no job gone");
    assertRefused(() -> api.jobs(get("/jobs?limit=0")), 400, "limit");
  }

  @Test
  void aRunningJobIsCancelledOnceAndACompleteOneCannotBe() throws IOException {
    results.add(running(job("job-1")));
    results.add(job("job-2"));

    Response cancelling = api.jobs(request("DELETE", "/jobs/job-1", null, ""));
    assertThat(cancelling.status()).isEqualTo(202);
    assertThat(body(cancelling).get("state").asText()).isEqualTo("cancelling");
    assertThat(sink.cancelled).containsExactly("job-1");

    results.add(cancelled(running(job("job-1"))));
    Response again = api.jobs(request("DELETE", "/jobs/job-1", null, ""));
    assertThat(again.status()).isEqualTo(200);
    assertThat(body(again).get("state").asText()).isEqualTo("cancelled");
    assertThat(sink.cancelled).containsExactly("job-1"); // not sent twice

    assertRefused(() -> api.jobs(request("DELETE", "/jobs/job-2", null, "")), 409, "is complete");
    assertRefused(() -> api.jobs(request("DELETE", "/jobs/job-3", null, "")), 404, "no job job-3");
    assertThat(sink.cancelled).containsExactly("job-1");
  }

  @Test
  void aRetrySubmitsTheFailedUrlsOfACompleteJobWithItsFormatNamingIt() throws IOException {
    results.add(JobResult.newBuilder(job("job-1")).setUrlsFailed(2).setFormat("CSV").build());
    results.add(url("job-1", "http://h/ok"));
    results.add(failed(url("job-1", "http://h/404"), "HTTP_STATUS"));
    results.add(failed(url("job-1", "http://h/cancelled"), "CANCELLED"));

    Response retried = api.jobs(post("/jobs/job-1/retry", null, ""));

    assertThat(retried.status()).isEqualTo(201);
    Submitted submitted = sink.submitted.get(0);
    assertThat(submitted.lines()).containsExactly("http://h/404", "http://h/cancelled");
    assertThat(submitted.format()).isEqualTo(Format.CSV);
    assertThat(submitted.retryOf()).isEqualTo("job-1");
    JsonNode body = body(retried);
    assertThat(body.get("jobId").asText()).isEqualTo(submitted.jobId()).isNotEqualTo("job-1");
    assertThat(body.get("urls").asInt()).isEqualTo(2);
    assertThat(body.get("retryOf").asText()).isEqualTo("job-1");
    assertThat(retried.headers()).containsEntry("Location", "/jobs/" + submitted.jobId());
  }

  @Test
  void aRetryWaitsForTheUrlResultsTheJobCounts() {
    results.add(JobResult.newBuilder(job("job-1")).setUrlsFailed(2).build());
    results.add(failed(url("job-1", "http://h/404"), "HTTP_STATUS"));

    assertRefused(() -> api.jobs(post("/jobs/job-1/retry", null, "")), 503, "1 of 2 failed URLs");
    assertThat(sink.submitted).isEmpty();
  }

  @Test
  void aRunningJobOrOneWithoutFailuresIsNotRetried() {
    results.add(running(job("running")));
    results.add(failed(url("running", "http://h/404"), "HTTP_STATUS"));
    results.add(job("fine"));
    results.add(url("fine", "http://h/ok"));

    assertRefused(() -> api.jobs(post("/jobs/running/retry", null, "")), 409, "still running");
    assertRefused(() -> api.jobs(post("/jobs/fine/retry", null, "")), 409, "no failed URLs");
    assertRefused(() -> api.jobs(post("/jobs/none/retry", null, "")), 404, "no job none");
    assertRefused(() -> api.jobs(get("/jobs/fine/retry")), 405, "POST");
    assertThat(sink.submitted).isEmpty();
  }

  @Test
  void aJobsUrlsAreSearchedIgnoringCaseOrNarrowedToTheFailedOnes() throws IOException {
    results.add(job("job-1"));
    results.add(url("job-1", "http://h/Alpha.csv"));
    results.add(url("job-1", "http://h/beta.csv"));
    results.add(failed(url("job-1", "http://h/alpha-404.csv"), "HTTP_STATUS"));

    assertThat(urls(body(api.jobs(get("/jobs/job-1/urls?search=ALPHA")))))
        .containsExactly("http://h/Alpha.csv", "http://h/alpha-404.csv");
    assertThat(urls(body(api.jobs(get("/jobs/job-1/urls?failed=true")))))
        .containsExactly("http://h/alpha-404.csv");
    JsonNode page = body(api.jobs(get("/jobs/job-1/urls?search=.csv&limit=1")));
    assertThat(urls(page)).containsExactly("http://h/Alpha.csv");
    assertThat(page.get("next").asText()).isEqualTo("http://h/Alpha.csv");
  }

  @Test
  void closingTheApiClosesTheSink() {
    api.close();
    assertThat(sink.closed).isTrue();
  }

  private static JobResult job(String jobId) {
    return JobResult.newBuilder()
        .setJobId(jobId)
        .setComplete(true)
        .setUrlsExpected(2)
        .setUrlsCompleted(2)
        .setUrlsSucceeded(2)
        .setUrlsFailed(0)
        .setBytes(100)
        .setChunks(2)
        .setRows(10)
        .setRaggedRows(0)
        .setFields(List.of())
        .setFailures(List.of())
        .build();
  }

  private static JobResult at(JobResult job, long submittedMillis) {
    return JobResult.newBuilder(job)
        .setSubmittedAt(submittedMillis)
        .setUpdatedAt(submittedMillis + 500)
        .build();
  }

  private static JobResult running(JobResult job) {
    return JobResult.newBuilder(job).setComplete(false).setUrlsCompleted(1).build();
  }

  private static JobResult cancelled(JobResult job) {
    return JobResult.newBuilder(job).setCancelledAt(5_000L).build();
  }

  private static UrlResult failed(UrlResult url, String errorClass) {
    return UrlResult.newBuilder(url).setOk(false).setErrorClass(errorClass).build();
  }

  private static UrlResult url(String jobId, String url) {
    return UrlResult.newBuilder()
        .setJobId(jobId)
        .setUrl(url)
        .setComplete(true)
        .setOk(true)
        .setBytes(50)
        .setChunksCounted(1)
        .setRows(5)
        .setRaggedRows(0)
        .setFields(List.of())
        .build();
  }

  private static List<String> urls(JsonNode page) {
    List<String> urls = new ArrayList<>();
    page.get("urls").forEach(url -> urls.add(url.get("url").asText()));
    return urls;
  }

  private static Request get(String target) {
    return request("GET", target, null, "");
  }

  private static Request post(String target, String contentType, String body) {
    return request("POST", target, contentType, body);
  }

  private static Request request(String method, String target, String contentType, String body) {
    return request(method, target, contentType, body, true);
  }

  /**
   * @param withLength whether the body's length is announced (no: sent chunked)
   */
  private static Request request(
      String method, String target, String contentType, String body, boolean withLength) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Headers headers = new Headers();
    if (contentType != null) {
      headers.set("Content-Type", contentType);
    }
    if (withLength) {
      headers.set("Content-Length", String.valueOf(bytes.length));
    }
    return new Request(
        method, URI.create(target), headers, () -> new ByteArrayInputStream(bytes), MAX_REQUEST);
  }

  private static JsonNode body(Response response) throws IOException {
    assertThat(response.contentType()).startsWith("application/json");
    return JSON.readTree(response.body());
  }

  private static void assertRefused(ThrowingCallable call, int status, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            refused -> {
              assertThat(refused.status()).as(refused.getMessage()).isEqualTo(status);
              assertThat(refused.getMessage()).contains(message);
            });
  }

  /** Job results held in memory, keyed as the results store keys them: job id, '|', URL. */
  private static final class InMemoryResults implements JobResults {
    private final Map<String, JobResult> jobs = new HashMap<>();
    private final NavigableMap<String, UrlResult> urls = new TreeMap<>();

    void add(JobResult job) {
      jobs.put(job.getJobId(), job);
    }

    void add(UrlResult url) {
      urls.put(url.getJobId() + "|" + url.getUrl(), url);
    }

    @Override
    public Optional<JobResult> job(String jobId) {
      return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public List<JobResult> jobs() {
      return List.copyOf(jobs.values());
    }

    @Override
    public List<UrlResult> urls(String jobId, String afterUrl, int limit, UrlFilter filter) {
      String prefix = jobId + "|";
      return (afterUrl == null
              ? urls.tailMap(prefix, true)
              : urls.tailMap(prefix + afterUrl, false))
          .entrySet().stream()
              .takeWhile(entry -> entry.getKey().startsWith(prefix))
              .map(Map.Entry::getValue)
              .filter(filter::matches)
              .limit(limit)
              .toList();
    }
  }

  private record Submitted(String jobId, List<String> lines, Format format, String retryOf) {}

  /** A step a test runs inside a submission, as a slow producer would hold it. */
  @FunctionalInterface
  private interface Step {
    void run() throws InterruptedException;
  }

  /** Keeps what is submitted and counts its distinct lines as URLs; fails as a test tells it to. */
  private static final class InMemorySink implements JobSink {
    final List<Submitted> submitted = new CopyOnWriteArrayList<>();
    final List<String> checkedNew = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;
    volatile Step whileSubmitting = () -> {};
    volatile boolean closed;

    @Override
    public void requireNew(String jobId) {
      checkedNew.add(jobId);
    }

    @Override
    public Submission submit(String jobId, List<String> lines, Format format, String retryOf) {
      try {
        whileSubmitting.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (failure != null) {
        throw failure;
      }
      submitted.add(new Submitted(jobId, lines, format, retryOf));
      int distinct = (int) lines.stream().distinct().count();
      return new Submission(jobId, distinct, lines.size() - distinct);
    }

    @Override
    public void cancel(String jobId) {
      cancelled.add(jobId);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
