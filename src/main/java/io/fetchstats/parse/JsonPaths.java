package io.fetchstats.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The paths of one parse call, each an int, found without allocating: a key's path by hashing its
 * bytes with its parent's path, an array's element path by a direct lookup. A path's field name is
 * only built, and registered with the sink, when its first cell arrives, so that containers and
 * paths without cells cost no string.
 *
 * <p>Names drop array indices: the element path of {@code p} is {@code p[]}, the path of key {@code
 * k} in {@code p} is {@code p.k}; below the root, {@code []} and {@code k} stand alone. A scalar at
 * the root (a number-per-line NDJSON body) is the field {@value #ROOT_FIELD}, as in plain text.
 */
final class JsonPaths {
  static final int ROOT = 0;
  static final String ROOT_FIELD = TextParser.FIELD;

  private static final int NO_KEY = -1;

  private final CellSink sink;

  /**
   * Makes the hash unpredictable, so that a body cannot be crafted with keys that all collide and
   * make each lookup a scan (the multiplier must be odd to keep every byte's influence).
   */
  private final int multiplier = ThreadLocalRandom.current().nextInt() | 1;

  private int count;
  private int[] parentOf = new int[16];
  private int[] hashOf = new int[16];

  /** Where the path's key is in {@link #keyBytes}, or {@link #NO_KEY} for an element path. */
  private int[] keyOffset = new int[16];

  private int[] keyLength = new int[16];

  /** The path's element path, or -1 until one was asked for. */
  private int[] elementOf = new int[16];

  /** The sink's field for the path, or -1 until its first cell. */
  private int[] fieldOf = new int[16];

  private String[] nameOf = new String[16];
  private byte[] keyBytes = new byte[256];
  private int keyBytesUsed;

  /** Key paths by hash, open addressing with linear probing: path + 1, or 0 for a free slot. */
  private int[] slots = new int[32];

  /**
   * Two paths can have one name (key {@code "a.b"} and key {@code b} in {@code a}); the sink hears
   * of each name once.
   */
  private final Map<String, Integer> fieldByName = new HashMap<>();

  JsonPaths(CellSink sink) {
    this.sink = sink;
    add(ROOT, NO_KEY, 0, 0);
  }

  /** The path of key {@code key[from, to)} (UTF-8, escapes decoded) in {@code parent}. */
  int child(int parent, byte[] key, int from, int to) {
    int h = hash(parent, key, from, to);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int slot = slots[i];
      if (slot == 0) {
        int path = add(parent, keyBytesUsed, to - from, h);
        appendKey(key, from, to);
        slots[i] = path + 1;
        if (2 * count > slots.length) {
          rehash();
        }
        return path;
      }
      int path = slot - 1;
      if (hashOf[path] == h
          && parentOf[path] == parent
          && Arrays.equals(
              keyBytes, keyOffset[path], keyOffset[path] + keyLength[path], key, from, to)) {
        return path;
      }
    }
  }

  /** The path of the elements of array {@code parent}. */
  int element(int parent) {
    int path = elementOf[parent];
    if (path < 0) {
      path = add(parent, NO_KEY, 0, 0);
      elementOf[parent] = path;
    }
    return path;
  }

  /** The sink's field for {@code path}; registers it on the path's first cell. */
  int field(int path) {
    int field = fieldOf[path];
    return field >= 0 ? field : register(path);
  }

  private int register(int path) {
    String name = name(path);
    Integer field = fieldByName.get(name);
    if (field == null) {
      field = sink.field(name);
      fieldByName.put(name, field);
    }
    fieldOf[path] = field;
    return field;
  }

  private String name(int path) {
    String name = nameOf[path];
    if (name != null) {
      return name;
    }
    if (path == ROOT) {
      name = ROOT_FIELD;
    } else {
      int parent = parentOf[path];
      String own =
          keyOffset[path] == NO_KEY
              ? "[]"
              : new String(keyBytes, keyOffset[path], keyLength[path], StandardCharsets.UTF_8);
      if (parent == ROOT) {
        name = own;
      } else {
        name = keyOffset[path] == NO_KEY ? name(parent) + own : name(parent) + "." + own;
      }
    }
    nameOf[path] = name;
    return name;
  }

  private int add(int parent, int offset, int length, int hash) {
    if (count == parentOf.length) {
      int n = 2 * count;
      parentOf = Arrays.copyOf(parentOf, n);
      hashOf = Arrays.copyOf(hashOf, n);
      keyOffset = Arrays.copyOf(keyOffset, n);
      keyLength = Arrays.copyOf(keyLength, n);
      elementOf = Arrays.copyOf(elementOf, n);
      fieldOf = Arrays.copyOf(fieldOf, n);
      nameOf = Arrays.copyOf(nameOf, n);
    }
    int path = count++;
    parentOf[path] = parent;
    hashOf[path] = hash;
    keyOffset[path] = offset;
    keyLength[path] = length;
    elementOf[path] = -1;
    fieldOf[path] = -1;
    return path;
  }

  private void appendKey(byte[] key, int from, int to) {
    int n = to - from;
    if (keyBytesUsed + n > keyBytes.length) {
      keyBytes = Arrays.copyOf(keyBytes, Math.max(2 * keyBytes.length, keyBytesUsed + n));
    }
    System.arraycopy(key, from, keyBytes, keyBytesUsed, n);
    keyBytesUsed += n;
  }

  private void rehash() {
    int[] table = new int[2 * slots.length];
    int mask = table.length - 1;
    for (int path = 0; path < count; path++) {
      if (keyOffset[path] != NO_KEY) {
        int i = hashOf[path] & mask;
        while (table[i] != 0) {
          i = (i + 1) & mask;
        }
        table[i] = path + 1;
      }
    }
    slots = table;
  }

  private int hash(int parent, byte[] key, int from, int to) {
    int h = parent;
    for (int i = from; i < to; i++) {
      h = h * multiplier + key[i];
    }
    // Spread the low bits, which pick the slot, over all of the hash.
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
