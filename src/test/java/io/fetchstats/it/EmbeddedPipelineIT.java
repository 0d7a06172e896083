package io.fetchstats.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline contract on the embedded KRaft broker: always runs. */
class EmbeddedPipelineIT extends PipelineContract {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  @Override
  String bootstrapServers() {
    return BROKER.bootstrapServers();
  }
}
