package io.fetchstats.submit;

import io.fetchstats.avro.JobResult;
import io.fetchstats.parse.Format;
import io.fetchstats.submit.JobSubmitter.Submission;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Cancelling a job and retrying its failed URLs, with the checks the API and the command line
 * share. A job is known by its latest result; one submitted a moment ago may not have one yet.
 */
public final class JobActions {
  private JobActions() {}

  /** The job has no result: unknown, or submitted but not processed yet (HTTP 404, exit 4). */
  public static final class NoSuchJobException extends NoSuchElementException {
    public NoSuchJobException(String jobId) {
      super("no job " + jobId + ": unknown, or submitted but not processed yet");
    }
  }

  /** The job is not in a state that allows the action (HTTP 409, exit 1). */
  public static final class WrongStateException extends IllegalStateException {
    WrongStateException(String message) {
      super(message);
    }
  }

  /**
   * Cancels job {@code jobId}, whose latest result is {@code job}: its URLs not fetched yet end
   * CANCELLED; those fetched keep their results.
   *
   * @return false if it was cancelled before (nothing is sent again)
   * @throws NoSuchJobException if it has no result
   * @throws WrongStateException if it is complete: there is nothing left to cancel
   * @throws IllegalStateException if {@code sink} is closed
   */
  public static boolean cancel(JobSink sink, String jobId, Optional<JobResult> job) {
    JobResult result = job.orElseThrow(() -> new NoSuchJobException(jobId));
    if (result.getCancelledAt() != null) {
      return false;
    }
    if (result.getComplete()) {
      throw new WrongStateException("job " + jobId + " is complete: nothing is left to cancel");
    }
    sink.cancel(jobId);
    return true;
  }

  /**
   * Submits the failed URLs of the complete job {@code job} as a new job, with the job's format,
   * that names it as the job it retries.
   *
   * @param failedUrls the job's URLs whose results failed (cancelled ones included)
   * @throws WrongStateException if the job is still running, or has no failed URL
   * @throws IllegalStateException if {@code sink} is closed
   */
  public static Submission retry(JobSink sink, JobResult job, List<String> failedUrls) {
    String jobId = job.getJobId();
    if (!job.getComplete()) {
      throw new WrongStateException(
          "job "
              + jobId
              + (job.getCancelledAt() != null
                  ? " is cancelled, and still ending its URLs ("
                  : " is still running (")
              + job.getUrlsCompleted()
              + " of "
              + (job.getUrlsExpected() == null ? "?" : job.getUrlsExpected())
              + " URLs): retry it once it completes"
              + (job.getCancelledAt() != null ? "" : ", or cancel it first"));
    }
    if (failedUrls.isEmpty()) {
      throw new WrongStateException("job " + jobId + " has no failed URLs to retry");
    }
    Format format = job.getFormat() == null ? null : Format.named(job.getFormat());
    return sink.submit(JobSubmitter.newJobId(), failedUrls, format, jobId);
  }
}
