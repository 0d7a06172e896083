package io.fetchstats.cli;

import picocli.CommandLine.Option;

/** What the generated sample data is made from (demo and samples serve the same data). */
final class SampleOptions {
  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;
}
