package io.fetchstats.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same pipeline contract on Kafka in a container; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIT extends PipelineContract {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

  @Override
  String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
