package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.FetchClient;
import io.fetchstats.ingest.FetchResult;
import io.fetchstats.ingest.LocalBody;
import io.fetchstats.parse.Format;
import io.fetchstats.process.BodyAnalysis;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.ResultsTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Print the statistics a job of one file, URL or standard input would give, without Kafka.",
      "The same format detection, parsers and statistics as the pipeline; a URL is fetched as"
          + " ingest fetches it.",
      "Exit codes: 0 the body has numbers, 1 it failed as a job's URL would (no numbers, not"
          + " text, broken JSON, a failed fetch)."
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FetchOptions fetch;

  @Parameters(paramLabel = "FILE|URL|-", description = "What to analyze.")
  String source;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Parse it as TEXT, CSV, TSV, JSON or NDJSON (default: from its name or Content-Type"
              + " and its first bytes).")
  String format;

  @Option(names = "--json", description = "Print the result as one line of JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    FetchStatsConfig config = ConfigPart.config(fetch);
    Format given = format == null ? null : Format.named(format);
    BodyAnalysis analysis = new BodyAnalysis(source);
    FetchResult read;
    if (isUrl(source)) {
      try (FetchClient client = new FetchClient(config)) {
        read = client.fetch(source, given, analysis::chunk).join();
      }
    } else {
      read = readLocal(new LocalBody(config.fetch()), given, analysis);
    }
    JobResult result =
        analysis.result(
            read.outcome(source, source, BodyAnalysis.REQUEST, BodyAnalysis.FETCH, Instant.now()));
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        json ? ResultsJson.render(result) + System.lineSeparator() : ResultsTable.render(result));
    out.flush();
    return result.getUrlsFailed() == 0 ? Main.OK : Main.FAILED;
  }

  private FetchResult readLocal(LocalBody bodies, Format given, BodyAnalysis analysis)
      throws IOException {
    if (source.equals("-")) {
      return bodies.read(System.in, -1, null, null, given, analysis::chunk);
    }
    Path file = Path.of(source);
    try (InputStream in = Files.newInputStream(file)) {
      return bodies.read(in, Files.size(file), null, source, given, analysis::chunk);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), Unreadable.message(source, e));
    }
  }

  private static boolean isUrl(String source) {
    String lower = source.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }
}
