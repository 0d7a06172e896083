package io.fetchstats.it;

import io.fetchstats.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded KRaft broker (the app's own production class) for every test class that registers
 * this extension; started on first use, closed when the test run ends. Test classes isolate
 * themselves with their own topic prefix.
 */
public final class SharedBroker implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedBroker.class);

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running = context.getRoot().getStore(NAMESPACE).computeIfAbsent("broker", key -> Running.start(), Running.class);
  }

  public String bootstrapServers() {
    return running.broker.bootstrapServers();
  }

  /** The broker and its directory; the root store closes it at the end of the run. */
  private record Running(EmbeddedKafka broker, Path directory) implements AutoCloseable {
    static Running start() {
      try {
        Path directory = Files.createTempDirectory("fetchstats-test-broker");
        return new Running(EmbeddedKafka.start(directory), directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      broker.close();
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
