package io.fetchstats.config;

import java.util.List;

/**
 * The names of the pipeline's topics, all sharing one prefix.
 *
 * <p>Keys are UTF-8 strings: the job id, or {@code jobId|url} for per-URL topics. Values are Avro
 * records in single-object encoding (schemas in {@code schemas/}), except that {@code urls} also
 * takes plain UTF-8 text, one URL a line.
 */
public record Topics(String prefix) {

  /** One topic the app creates: its name, what it carries, and whether it is compacted. */
  public record Definition(String name, String key, String value, boolean compacted) {}

  public String jobs() {
    return prefix + "jobs";
  }

  public String urls() {
    return prefix + "urls";
  }

  public String chunks() {
    return prefix + "chunks";
  }

  public String fetches() {
    return prefix + "fetches";
  }

  public String urlResults() {
    return prefix + "url-results";
  }

  public String jobResults() {
    return prefix + "job-results";
  }

  public String deadLetters() {
    return prefix + "dead-letters";
  }

  public List<Definition> definitions() {
    return List.of(
        new Definition(jobs(), "jobId", "JobManifest", false),
        new Definition(urls(), "jobId", "UrlRequest, or UTF-8 text with one URL a line", false),
        new Definition(chunks(), "jobId|url|requestId|seq", "Chunk", false),
        new Definition(fetches(), "jobId|url|requestId", "FetchOutcome", false),
        new Definition(urlResults(), "jobId|url", "UrlResult", true),
        new Definition(jobResults(), "jobId", "JobResult", true),
        new Definition(
            deadLetters(),
            "the original key",
            "the original value; headers give the reason, source topic, partition and offset",
            false));
  }
}
