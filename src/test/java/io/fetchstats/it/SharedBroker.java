package io.fetchstats.it;

import io.fetchstats.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded KRaft broker (the app's own production class) for every test class that registers
 * this extension; started on first use, closed when the test run ends. Test classes isolate
 * themselves with their own topic prefix.
 */
public final class SharedBroker implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBroker.class);

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent("broker", key -> Running.start(), Running.class);
  }

  public String bootstrapServers() {
    return running.broker.bootstrapServers();
  }

  /** The broker, its log under target/ (which the build cleans); closed at the end of the run. */
  private record Running(EmbeddedKafka broker) implements AutoCloseable {
    static Running start() {
      return new Running(
          EmbeddedKafka.start(Path.of("target", "test-kafka", UUID.randomUUID().toString())));
    }

    @Override
    public void close() {
      broker.close();
    }
  }
}
