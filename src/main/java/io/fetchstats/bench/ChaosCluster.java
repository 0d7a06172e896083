package io.fetchstats.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline of separate JVMs on this host, run as an operator runs one: the embedded broker alone
 * ({@code fetchstats broker}), two {@code ingest}, two {@code process} and one {@code serve}, on
 * {@value #PARTITIONS} partitions with one stream thread a processor. Each has a data dir of its
 * own, so that one started again gets its instance id back (and aborts what it left open); each
 * start of one writes its own log under {@code logs}. Nodes are killed, stopped and started again
 * by the caller; one that exits on its own is an error.
 */
final class ChaosCluster implements AutoCloseable {
  static final int PARTITIONS = 2;

  /** A hanging URL gives up soon, and a retry comes soon: a job is not held up by either. */
  private static final List<String> INGEST_OPTIONS =
      List.of(
          "--allow-private-networks",
          "--request-timeout=PT1S",
          "--retry-backoff=PT0.1S",
          "--chunk-size=4096"); // many chunks a body, spread over the partitions

  /** Six JVMs share the cores: small heaps, one GC thread, and no C2 compiling at every start. */
  static final List<String> JVM_OPTIONS =
      List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern HTTP_ADDRESS =
      Pattern.compile("fetchstats (?:process|serve): .* at (http://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a node runs. */
  enum Role {
    BROKER,
    INGEST,
    PROCESS,
    SERVE
  }

  /** One process of the pipeline, by name: the same name across its restarts. */
  record Node(String name, Role role) {}

  private static final List<Node> NODES =
      List.of(
          new Node("broker", Role.BROKER),
          new Node("ingest-1", Role.INGEST),
          new Node("ingest-2", Role.INGEST),
          new Node("process-1", Role.PROCESS),
          new Node("process-2", Role.PROCESS),
          new Node("serve", Role.SERVE));

  /** A start of a node: its process, its log, and its HTTP address once it has told it. */
  private record Started(Process process, Path log, URI http) {}

  private final Path dir;
  private final int brokerPort;
  private final PrintWriter progress;
  // Read by the shutdown hook too.
  private final Map<Node, Started> running = new ConcurrentHashMap<>();
  private final Map<Node, Integer> starts = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
  private final Thread killer = new Thread(this::killAll, "fetchstats-chaos-cleanup");

  private ChaosCluster(Path dir, int brokerPort, PrintWriter progress) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.progress = progress;
  }

  /** Starts the broker, then every stage, and returns once all are ready. */
  static ChaosCluster start(Path dir, PrintWriter progress) {
    ChaosCluster cluster = new ChaosCluster(dir, EmbeddedKafka.anyFreePort(), progress);
    // Someone stopping the benchmark (Ctrl-C) leaves no JVM of it behind.
    Runtime.getRuntime().addShutdownHook(cluster.killer);
    try {
      cluster.start(List.of(cluster.node("broker")));
      cluster.start(NODES.stream().filter(node -> node.role() != Role.BROKER).toList());
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  Node node(String name) {
    return NODES.stream()
        .filter(node -> node.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + name));
  }

  /** The node whose process has this id, if it runs. */
  Optional<Node> nodeWithPid(long pid) {
    return running.entrySet().stream()
        .filter(entry -> entry.getValue().process().pid() == pid)
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * Starts the nodes, all at once, and waits until each is ready: listening, or running its stage.
   */
  void start(List<Node> nodes) {
    nodes.forEach(this::launch);
    nodes.forEach(this::awaitReady);
  }

  /** Kills the node's process at once (SIGKILL), as a crash would, and waits until it is gone. */
  void kill(Node node) {
    Process process = running.remove(node).process();
    process.destroyForcibly();
    awaitExit(node, process);
  }

  /**
   * Asks the node's process to stop (SIGTERM), as an operator or a supervisor does, and waits until
   * it has.
   */
  void stop(Node node) {
    Process process = running.remove(node).process();
    process.destroy();
    awaitExit(node, process);
  }

  /**
   * Fails if a node has exited on its own: a stage that gave up (after an error it logs) is what a
   * chaos run is to find.
   */
  void requireRunning() {
    running.forEach(
        (node, started) -> {
          if (!started.process().isAlive()) {
            throw new IllegalStateException(
                node.name()
                    + " exited on its own with code "
                    + started.process().exitValue()
                    + "; the end of its log "
                    + started.log()
                    + ":\n"
                    + tail(started.log()));
          }
        });
  }

  /** Submits a job through serve's API. */
  void submit(String jobId, List<String> urls) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jobId", jobId);
    body.put("urls", urls);
    HttpResponse<String> response;
    try {
      response =
          send(
              HttpRequest.newBuilder(serve().resolve("/jobs"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot submit job " + jobId + " to serve", e);
    }
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "serve refused job " + jobId + ": " + response.statusCode() + " " + response.body());
    }
  }

  /** The job's latest result as serve's API gives it, if it has one. */
  Optional<JsonNode> job(String jobId) {
    try {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(serve().resolve("/jobs/" + jobId)).GET());
      return response.statusCode() == 200
          ? Optional.of(JSON.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // asked again at the next poll
    }
  }

  private URI serve() {
    return running.get(node("serve")).http();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(HTTP_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void launch(Node node) {
    int start = starts.merge(node, 1, Integer::sum);
    Path log = dir.resolve("logs").resolve(node.name() + "-" + start + ".log");
    try {
      Files.createDirectories(log.getParent());
      running.put(node, new Started(Jvm.fetchstats(log, JVM_OPTIONS, arguments(node)), log, null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + node.name(), e);
    }
    tell(progress, "started %s (pid %d)", node.name(), running.get(node).process().pid());
  }

  /** A progress line, with the time of day to find its moment in the nodes' logs. */
  static void tell(PrintWriter progress, String format, Object... args) {
    progress.printf(
        "chaos %s: %s%n",
        LocalTime.now().truncatedTo(ChronoUnit.MILLIS), String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  private List<String> arguments(Node node) {
    List<String> arguments = new ArrayList<>();
    arguments.add(node.role().name().toLowerCase(Locale.ROOT));
    arguments.add("--data-dir=" + dir.resolve(node.name()));
    arguments.add("--partitions=" + PARTITIONS);
    switch (node.role()) {
      case BROKER -> arguments.add("--broker-port=" + brokerPort);
      case INGEST -> arguments.addAll(INGEST_OPTIONS);
      case PROCESS -> arguments.addAll(List.of("--stream-threads=1", "--http-port=0"));
      case SERVE -> arguments.add("--http-port=0");
    }
    if (node.role() != Role.BROKER) {
      arguments.add("--bootstrap-servers=" + bootstrapServers());
    }
    return arguments;
  }

  /**
   * Waits until the node says it runs (the broker and ingest in their log) or its /health is UP (a
   * processor once Kafka Streams runs, serve once its stores have caught up).
   */
  private void awaitReady(Node node) {
    Started started = running.get(node);
    switch (node.role()) {
      case BROKER -> awaitLog(node, started, Pattern.compile("Kafka is running at "));
      case INGEST -> awaitLog(node, started, Pattern.compile("Ingest started as instance"));
      case PROCESS, SERVE -> {
        URI uri = URI.create(awaitLog(node, started, HTTP_ADDRESS).group(1));
        running.put(node, new Started(started.process(), started.log(), uri));
        Waits.until(
            node.name() + " healthy",
            READY_TIMEOUT,
            () -> {
              requireRunning();
              return healthy(uri) ? Optional.of(true) : Optional.empty();
            });
      }
    }
  }

  private MatchResult awaitLog(Node node, Started started, Pattern line) {
    return Waits.until(
        node.name() + " ready",
        READY_TIMEOUT,
        () -> {
          requireRunning();
          Matcher matcher = line.matcher(read(started.log()));
          return matcher.find() ? Optional.of(matcher.toMatchResult()) : Optional.empty();
        });
  }

  private boolean healthy(URI uri) {
    try {
      return send(HttpRequest.newBuilder(uri.resolve("/health")).GET()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitExit(Node node, Process process) {
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            node.name() + " did not stop within " + EXIT_TIMEOUT.toSeconds() + " s: killed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + node.name() + " stopped", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** The last lines of a log, for an error message. */
  private static String tail(Path log) {
    List<String> lines = read(log).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private void killAll() {
    running.values().forEach(started -> started.process().destroyForcibly());
    running
        .values()
        .forEach(
            started -> {
              try {
                started.process().waitFor(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /**
   * Writes the threads of every running node beside its log ({@code NAME-N.threads.txt}, by the
   * JDK's jcmd), so that a job that never completes shows where each stage waits.
   */
  void dumpThreads() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    running.forEach(
        (node, started) -> {
          Path dump = Path.of(started.log().toString().replaceFirst("\\.log$", ".threads.txt"));
          try {
            Process dumping =
                new ProcessBuilder(
                        jcmd.toString(), String.valueOf(started.process().pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(dump.toFile())
                    .start();
            if (!dumping.waitFor(30, TimeUnit.SECONDS)) {
              dumping.destroyForcibly();
            }
            tell(progress, "threads of %s in %s", node.name(), dump);
          } catch (IOException e) {
            tell(progress, "could not dump the threads of %s: %s", node.name(), e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** Kills every node: nothing of the run is worth keeping but its logs. */
  @Override
  public void close() {
    killAll();
    running.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running, or has.
    }
  }
}
