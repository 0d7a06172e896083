package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import java.util.Arrays;
import java.util.Locale;

/** Where a job stands, as lists and pages show it. */
public enum JobState {
  /** Some of its URLs have no outcome yet (or it has no manifest, so it never completes). */
  RUNNING,
  /** Every URL has its outcome. */
  COMPLETE,
  /**
   * Cancelled while it ran: its URLs not fetched by then end CANCELLED, those fetched keep their
   * results.
   */
  CANCELLED;

  public static JobState of(JobResult job) {
    if (job.getCancelledAt() != null) {
      return CANCELLED;
    }
    return job.getComplete() ? COMPLETE : RUNNING;
  }

  /** As the API and the command line write it: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state a user named (any case). */
  public static JobState named(String name) {
    return Arrays.stream(values())
        .filter(state -> state.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown job state '" + name + "': running, complete or cancelled"));
  }
}
