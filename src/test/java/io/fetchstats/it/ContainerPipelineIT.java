package io.fetchstats.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same pipeline contract on Kafka in a container (the image the build names, at the clients'
 * version: {@link KafkaImage}); skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIT extends PipelineContract {
  @Container static final KafkaContainer KAFKA = new KafkaContainer(KafkaImage.name());

  @Override
  String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
