package io.fetchstats.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic: its name and the serdes of its keys and values, so that a record of another type does
 * not compile.
 *
 * @param <K> what its keys are
 * @param <V> what its values are
 */
public record Topic<K, V>(String name, Serde<K> keys, Serde<V> values) {

  /**
   * A record for this topic, encoded: the pipeline's producers send bytes, as one of them writes to
   * several topics in a transaction.
   */
  public ProducerRecord<byte[], byte[]> record(K key, V value) {
    return new ProducerRecord<>(name, keys.serializer().serialize(name, key), encode(value));
  }

  public byte[] encode(V value) {
    return values.serializer().serialize(name, value);
  }

  /**
   * The value of a record read as bytes (readers of topics any producer may write to keep them as
   * bytes until they can handle a record that is not one).
   *
   * @throws org.apache.kafka.common.errors.SerializationException if the bytes are no such value
   */
  public V decode(byte[] value) {
    return values.deserializer().deserialize(name, value);
  }

  /** How a Kafka Streams sink named {@code processorName} writes to this topic. */
  public Produced<K, V> produced(String processorName) {
    return Produced.with(keys, values).withName(processorName);
  }
}
