package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import picocli.CommandLine.Mixin;

/** Every option group: 'run' uses them all, 'config' shows them all. */
final class AllOptions implements ConfigPart {
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin BrokerOptions broker;
  @Mixin ServiceOptions service;
  @Mixin InstanceOptions instance;
  @Mixin FetchOptions fetch;
  @Mixin ProcessingOptions processing;
  @Mixin HttpOptions http;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    for (ConfigPart part :
        new ConfigPart[] {kafka, topic, broker, service, instance, fetch, processing, http}) {
      part.applyTo(config);
    }
  }
}
