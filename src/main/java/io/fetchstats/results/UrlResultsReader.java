package io.fetchstats.results;

import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads the latest result of every URL of one job from the url-results topic (read-committed). Its
 * keys are jobId|url, spread over all partitions, so the whole topic is read once, to its current
 * end: it is compacted, so that is about one record per URL of the jobs it holds.
 */
public final class UrlResultsReader {
  private UrlResultsReader() {}

  /** The job's URL results in URL order; empty if the topic holds none for the job. */
  public static List<UrlResult> latest(FetchStatsConfig config, String jobId) {
    Topic<String, UrlResult> topic = Topics.of(config).urlResults();
    String prefix = Keys.url(jobId, "");
    Map<String, UrlResult> byKey =
        KafkaClients.latestByKey(config, topic, key -> key.startsWith(prefix));
    List<UrlResult> results = new ArrayList<>(byKey.values());
    results.sort(Comparator.comparing(UrlResult::getUrl));
    return results;
  }
}
