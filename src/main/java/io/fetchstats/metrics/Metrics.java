package io.fetchstats.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one process: its own, the JVM's, and those of the Kafka clients and Kafka Streams
 * instances bound to it. Gauges that would need a meter per host or per job are refreshed by
 * callbacks just before each scrape, so they show the present without a timer.
 */
public final class Metrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Deque<Binding> bindings = new ArrayDeque<>();

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  /** Meters shown in Prometheus text format, with the JVM's. */
  public static Metrics prometheus() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics metrics = new Metrics(prometheus, prometheus);
    new JvmMemoryMetrics().bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    JvmGcMetrics gc = new JvmGcMetrics();
    metrics.bound(gc, gc::close);
    return metrics;
  }

  /** Meters kept in memory only: for code run without an endpoint (benchmarks, tests). */
  public static Metrics inMemory() {
    return new Metrics(new SimpleMeterRegistry(), null);
  }

  /**
   * Counts the records a stage ({@code ingest} or {@code process}) sent to dead-letters: one meter
   * name for every stage, so that one query shows them all.
   */
  public static Counter deadLetters(MeterRegistry registry, String stage) {
    return Counter.builder("fetchstats.dead.letters")
        .description(
            "Records sent to dead-letters: unreadable or invalid input, unparseable chunks")
        .tag("stage", stage)
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Runs {@code refresh} before each scrape, until this is closed. */
  public void beforeScrape(Runnable refresh) {
    beforeScrape.add(refresh);
  }

  /** Stops running {@code refresh} before scrapes (its source has stopped). */
  public void removeBeforeScrape(Runnable refresh) {
    beforeScrape.remove(refresh);
  }

  /**
   * Every meter in Prometheus text format (0.0.4); empty for in-memory meters. A refresh that fails
   * leaves its meters as they were: the rest are still shown.
   */
  public String scrape() {
    for (Runnable refresh : beforeScrape) {
      try {
        refresh.run();
      } catch (RuntimeException e) {
        log.warn("Could not refresh some meters: {}", e.toString());
      }
    }
    return prometheus == null ? "" : prometheus.scrape();
  }

  /** Meters bound to a client: closing removes them (the client is closing too). */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Shows a Kafka client's own metrics (lag, request rates, errors) as meters tagged by client.
   * Each binder looks for new metrics (new partitions) once a minute on a thread of its own, which
   * closing it stops.
   */
  public Binding bind(Consumer<?, ?> consumer, String client) {
    var binder = new KafkaClientMetrics(consumer, Tags.of("client", client));
    return bound(binder, binder::close);
  }

  public Binding bind(Producer<?, ?> producer, String client) {
    var binder = new KafkaClientMetrics(producer, Tags.of("client", client));
    return bound(binder, binder::close);
  }

  /** Shows Kafka Streams' metrics (its threads, tasks, stores, and clients) as meters. */
  public Binding bind(KafkaStreams streams, String application) {
    var binder = new KafkaStreamsMetrics(streams, Tags.of("application", application));
    return bound(binder, binder::close);
  }

  private Binding bound(MeterBinder binder, Binding unbind) {
    binder.bindTo(registry);
    synchronized (bindings) {
      bindings.push(unbind);
    }
    return unbind;
  }

  @Override
  public void close() {
    synchronized (bindings) {
      while (!bindings.isEmpty()) {
        bindings.pop().close();
      }
    }
    registry.close();
  }
}
