package io.fetchstats.api;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.DaemonThreads;
import io.fetchstats.config.FetchSettings;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.domain.Keys;
import io.fetchstats.ingest.FetchResult;
import io.fetchstats.ingest.LocalBody;
import io.fetchstats.parse.Format;
import io.fetchstats.process.BodyAnalysis;
import io.fetchstats.results.JobList;
import io.fetchstats.results.JobResults;
import io.fetchstats.results.JobState;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.UrlFilter;
import io.fetchstats.submit.JobActions;
import io.fetchstats.submit.JobSink;
import io.fetchstats.submit.JobSubmitter;
import io.fetchstats.submit.UrlListBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The jobs API: submit a URL list (to a {@link JobSink}), read a job's result and its URLs' results
 * (from {@link JobResults}: in production the results store, so any instance answers), and analyze
 * numbers given in the request.
 *
 * <pre>
 * POST /jobs                   a URL list (text, one a line; or JSON) → 201 {"jobId", "urls", ...}
 * GET  /jobs                   a page of jobs, newest first (?state=running|complete|cancelled,
 *                              ?limit=, ?after=)
 * GET  /jobs/{id}              the job's latest result, as {@code results --json} prints it
 * DELETE /jobs/{id}            cancels it: its URLs not fetched yet end CANCELLED → 202
 * POST /jobs/{id}/retry        its failed URLs as a new job that names it → 201
 * GET  /jobs/{id}/urls         its URLs' results, a page at a time (?limit=, ?after=, ?search=,
 *                              ?failed=true)
 * POST /analyze                a body (JSON, NDJSON, CSV, TSV, text by Content-Type) → its statistics
 * </pre>
 */
public final class JobsApi implements AutoCloseable {
  static final int DEFAULT_PAGE = 1000;
  static final int MAX_PAGE = 10_000;

  private final JobResults store;
  private final JobSink submitter;

  /**
   * Job ids being submitted, and jobs being retried, by this instance: a second request for one
   * gets 409 at once instead of racing the first past the check that the id is new (or submitting
   * the same retry twice).
   */
  private final Set<String> submitting = ConcurrentHashMap.newKeySet();

  /**
   * Analysis is CPU-bound: it runs on a pool of one thread per core, off the request threads, with
   * a short queue; past that a request gets 503 and comes back later.
   */
  private final ThreadPoolExecutor analyzers;

  /** A request's body is read as a fetched one is, with the fetching defaults (its chunk size). */
  private static final LocalBody BODIES = new LocalBody(FetchSettings.builder().build());

  public JobsApi(JobResults store, JobSink submitter) {
    this.store = store;
    this.submitter = submitter;
    int cores = Runtime.getRuntime().availableProcessors();
    this.analyzers =
        new ThreadPoolExecutor(
            cores,
            cores,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(2 * cores),
            DaemonThreads.named("fetchstats-analyze-"));
  }

  /** {@code /jobs} and below. */
  Response jobs(Request request) {
    List<String> path = request.pathAfterFirst();
    if (path.isEmpty()) {
      request.requireMethod("GET", "POST");
      return request.method().equals("GET") ? list(request.query()) : submit(request);
    }
    String jobId = path.get(0);
    try {
      Keys.validateJobId(jobId);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    if (path.size() == 1) {
      request.requireMethod("GET", "DELETE");
      return request.method().equals("GET")
          ? Response.json(200, ResultsJson.render(job(jobId)))
          : cancel(jobId);
    }
    if (path.size() == 2 && path.get(1).equals("urls")) {
      request.requireMethod("GET");
      return urls(jobId, request.query());
    }
    if (path.size() == 2 && path.get(1).equals("retry")) {
      request.requireMethod("POST");
      return retry(jobId);
    }
    throw new ApiException(404, "no such resource: " + String.join("/", path));
  }

  /** {@code GET /jobs}: a page of jobs, newest first (?state=, ?limit=, ?after=). */
  private Response list(Map<String, String> query) {
    int limit = intParameter(query, "limit", JobList.DEFAULT_LIMIT, 1, JobList.MAX_LIMIT);
    try {
      JobState state = query.get("state") == null ? null : JobState.named(query.get("state"));
      return Response.json(
          200, ResultsJson.render(JobList.page(store.jobs(), state, query.get("after"), limit)));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  private JobResult job(String jobId) {
    return store.job(jobId).orElseThrow(() -> notFound(jobId));
  }

  private static ApiException notFound(String jobId) {
    return new ApiException(404, new JobActions.NoSuchJobException(jobId).getMessage());
  }

  /**
   * {@code GET /jobs/{id}/urls}: a page of its URLs' results (?limit=, ?after=), those whose URL
   * holds ?search= (ignoring case), or only the failed ones (?failed=true).
   */
  private Response urls(String jobId, Map<String, String> query) {
    int limit = intParameter(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    String after = query.get("after");
    UrlFilter filter = new UrlFilter(query.get("search"), "true".equals(query.get("failed")));
    List<UrlResult> page = store.urls(jobId, after, limit, filter);
    if (page.isEmpty() && after == null) {
      job(jobId); // 404 for a job that is not known
    }
    String next = page.size() == limit ? page.get(page.size() - 1).getUrl() : null;
    return Response.json(200, ResultsJson.renderUrlPage(page, next));
  }

  /** {@code DELETE /jobs/{id}}: 202 while the cancellation goes through, 200 if it was before. */
  private Response cancel(String jobId) {
    boolean sent;
    try {
      sent = JobActions.cancel(submitter, jobId, store.job(jobId));
    } catch (JobActions.NoSuchJobException e) {
      throw notFound(jobId);
    } catch (IllegalStateException e) {
      throw conflictOrStopping(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", jobId);
    out.put("state", sent ? "cancelling" : JobState.CANCELLED.label());
    return Response.json(sent ? 202 : 200, out);
  }

  /** {@code POST /jobs/{id}/retry}: its failed URLs as a new job, which names this one. */
  private Response retry(String jobId) {
    JobResult job = job(jobId);
    String retrying = "retry of " + jobId;
    if (!submitting.add(retrying)) {
      throw new ApiException(409, "job " + jobId + " is being retried by another request");
    }
    try {
      return retry(job);
    } finally {
      submitting.remove(retrying);
    }
  }

  private Response retry(JobResult job) {
    String jobId = job.getJobId();
    List<String> failed = new ArrayList<>();
    List<UrlResult> page;
    do {
      String after = failed.isEmpty() ? null : failed.get(failed.size() - 1);
      page = store.urls(jobId, after, MAX_PAGE, UrlFilter.FAILED);
      page.forEach(url -> failed.add(url.getUrl()));
    } while (page.size() == MAX_PAGE);
    if (job.getComplete() && failed.size() < job.getUrlsFailed()) {
      // The store reads url-results apart from job-results, and may be a moment behind it.
      throw new ApiException(
          503,
          "the URL results of job "
              + jobId
              + " are still coming in ("
              + failed.size()
              + " of "
              + job.getUrlsFailed()
              + " failed URLs); try again",
          Map.of("Retry-After", "1"));
    }
    JobSubmitter.Submission submitted;
    try {
      submitted = JobActions.retry(submitter, job, failed);
    } catch (IllegalStateException e) {
      throw conflictOrStopping(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", submitted.jobId());
    out.put("urls", submitted.urls());
    out.put("retryOf", jobId);
    return Response.json(201, out).withHeader("Location", "/jobs/" + submitted.jobId());
  }

  /** 409 for a job in the wrong state; 503 when the submitter is closed (the server stops). */
  private static ApiException conflictOrStopping(IllegalStateException e) {
    return e instanceof JobActions.WrongStateException
        ? new ApiException(409, e.getMessage())
        : new ApiException(503, "the server is stopping");
  }

  private static int intParameter(
      Map<String, String> query, String name, int defaultValue, int min, int max) {
    String value = query.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(
        400, name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
  }

  /**
   * Submits a job. The body is a URL list as text (one a line, # comments), or JSON (sent as such,
   * or starting with [ or {): an array of URLs, or {"urls": [...], "jobId": ..., "format": ...}.
   * ?jobId= and ?format= apply where the JSON does not say; ?skipInvalid=true submits the URLs of a
   * list with entries that are not http(s) URLs, which is otherwise refused.
   */
  private Response submit(Request request) {
    String text = new String(request.body(), StandardCharsets.UTF_8);
    boolean skipInvalid = "true".equals(request.query().get("skipInvalid"));
    UrlListBody asked;
    Format format;
    String askedId;
    try {
      asked =
          request.mediaType().equals("application/json")
              ? UrlListBody.readJson(text)
              : UrlListBody.read(text);
      askedId = asked.jobId() != null ? asked.jobId() : request.query().get("jobId");
      String formatName = asked.format() != null ? asked.format() : request.query().get("format");
      format = formatName == null ? null : Format.named(formatName);
      if (askedId != null) {
        Keys.validateJobId(askedId);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    if (!skipInvalid && !asked.invalid().isEmpty()) {
      throw new ApiException(
          400, asked.refusal("the URL list", "?skipInvalid=true submits the others"));
    }
    String jobId = askedId == null ? JobSubmitter.newJobId() : askedId;
    if (!submitting.add(jobId)) {
      throw new ApiException(409, "job id " + jobId + " is being submitted by another request");
    }
    JobSubmitter.Submission submitted;
    try {
      if (askedId != null) {
        submitter.requireNew(jobId);
      }
      submitted = submitter.submit(jobId, asked.urls(), format);
    } catch (JobSubmitter.JobIdTakenException e) {
      throw new ApiException(409, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    } catch (IllegalStateException e) { // the submitter is closed
      throw new ApiException(503, "the server is stopping");
    } finally {
      submitting.remove(jobId);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", submitted.jobId());
    out.put("urls", submitted.urls());
    out.put("duplicatesIgnored", submitted.duplicatesIgnored());
    out.put("invalidSkipped", asked.invalid().size());
    return Response.json(201, out).withHeader("Location", "/jobs/" + submitted.jobId());
  }

  /**
   * {@code /analyze}: the statistics the pipeline would give for the request's body, a job of that
   * one body: read as a fetched body with its Content-Type (JSON, NDJSON, CSV, TSV, text), chunked,
   * parsed and merged by the pipeline's own code.
   */
  Response analyze(Request request) {
    if (!request.pathAfterFirst().isEmpty()) {
      throw new ApiException(
          404, "no such resource: /analyze/" + String.join("/", request.pathAfterFirst()));
    }
    request.requireMethod("POST");
    byte[] body = request.body();
    String contentType = request.contentType();
    Future<JobResult> analysis;
    try {
      analysis = analyzers.submit(() -> analyze(body, contentType));
    } catch (RejectedExecutionException e) {
      throw new ApiException(
          503, "busy analyzing other requests; try again", Map.of("Retry-After", "1"));
    }
    try {
      JobResult result = analysis.get();
      // A body without numbers has its cells counted, as a job's URL has; other failures mean
      // the body could not be read as its type says.
      if (!result.getFailures().isEmpty()
          && !FailureClass.NO_NUMBERS.name().equals(result.getFailures().get(0).getErrorClass())) {
        UrlFailure failure = result.getFailures().get(0);
        throw new ApiException(400, failure.getErrorClass() + ": " + failure.getError());
      }
      return Response.json(200, ResultsJson.renderFields(result.getRows(), result.getFields()));
    } catch (ExecutionException e) {
      throw new IllegalStateException("analysis failed", e.getCause());
    } catch (CancellationException e) {
      throw new ApiException(503, "the server is stopping");
    } catch (InterruptedException e) {
      analysis.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiException(503, "the server is stopping");
    }
  }

  private static JobResult analyze(byte[] body, String contentType) throws IOException {
    BodyAnalysis analysis = new BodyAnalysis("request");
    FetchResult read =
        BODIES.read(
            new ByteArrayInputStream(body), body.length, contentType, null, null, analysis::chunk);
    return analysis.result(
        read.outcome(
            analysis.name(),
            analysis.name(),
            BodyAnalysis.REQUEST,
            BodyAnalysis.FETCH,
            Instant.now()));
  }

  /**
   * Stops the analyses (those running are interrupted, those waiting cancelled), and submitting.
   */
  @Override
  public void close() {
    submitter.close();
    for (Runnable waiting : analyzers.shutdownNow()) {
      if (waiting instanceof Future<?> future) {
        future.cancel(false);
      }
    }
  }
}
