package io.fetchstats.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  @Test
  void printingAConfigurationShowsNoClientPropertyValue() {
    FetchStatsConfig config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers("kafka:9093")
                        .properties(
                            Map.of(
                                "sasl.jaas.config",
                                "ScramLoginModule required username=\"u\" password=\"p4ss\";",
                                "ssl.truststore.password",
                                "changeit")))
            .build();

    assertThat(config.toString())
        .contains("kafka:9093", "sasl.jaas.config", "ssl.truststore.password")
        .doesNotContain("p4ss", "changeit");
  }

  @Test
  void anEmptyAddressMeansTheEmbeddedBrokerUntilOneIsResolved() {
    FetchStatsConfig config = FetchStatsConfig.builder().build();

    assertThat(config.kafka().embedded()).isTrue();
    assertThat(config.withBootstrapServers("localhost:9092").kafka().embedded()).isFalse();
    assertThat(config.withBootstrapServers("localhost:9092").kafka().bootstrapServers())
        .isEqualTo("localhost:9092");
  }
}
