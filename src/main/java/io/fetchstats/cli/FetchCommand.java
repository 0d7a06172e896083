package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.FetchClient;
import io.fetchstats.ingest.FetchResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch URLs as the ingest stage would (limits, retries, decoding, hashing, chunking),"
          + " without Kafka, and print how each went.",
      "Exits 1 if any URL failed."
    })
final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FetchOptions fetch;

  @Parameters(arity = "1..*", paramLabel = "URL", description = "The URLs to fetch.")
  List<String> urls;

  @Override
  public Integer call() {
    FetchStatsConfig config = ConfigPart.config(fetch);
    PrintWriter out = spec.commandLine().getOut();
    boolean allOk = true;
    try (FetchClient client = new FetchClient(config)) {
      List<CompletableFuture<FetchResult>> results = urls.stream().map(client::fetch).toList();
      for (int i = 0; i < urls.size(); i++) {
        FetchResult result = results.get(i).join();
        allOk &= result.ok();
        out.println(describe(urls.get(i), result));
        out.flush();
      }
    }
    return allOk ? Main.OK : Main.FAILED;
  }

  private static String describe(String url, FetchResult result) {
    String attempts = result.attempts() == 1 ? "" : ", " + result.attempts() + " attempts";
    if (!result.ok()) {
      return String.format(
          Locale.ROOT,
          "%s  %s: %s (%d ms%s)",
          url,
          result.failure(),
          result.error(),
          result.latencyMs(),
          attempts);
    }
    return String.format(
        Locale.ROOT,
        "%s  %d %s, %d bytes in %d chunks, sha256 %s (%d ms%s)",
        url,
        result.status(),
        result.format(),
        result.bytes(),
        result.chunks(),
        result.sha256(),
        result.latencyMs(),
        attempts);
  }
}
