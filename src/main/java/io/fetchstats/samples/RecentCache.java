package io.fetchstats.samples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The values most recently used, so repeated requests reuse work while memory stays bounded. */
final class RecentCache<K, V> {
  private final Map<K, V> values;

  RecentCache(int capacity) {
    this.values =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The value for {@code key}, computed if absent. It is computed outside the lock so one slow
   * value does not hold up the others; two requests racing for the same one both compute it.
   */
  V get(K key, Function<K, V> compute) {
    synchronized (values) {
      V value = values.get(key);
      if (value != null) {
        return value;
      }
    }
    V value = compute.apply(key);
    synchronized (values) {
      values.putIfAbsent(key, value);
    }
    return value;
  }
}
