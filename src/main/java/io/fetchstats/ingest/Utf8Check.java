package io.fetchstats.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@link BodyText}'s reading of UTF-8 (and US-ASCII): it passes unchanged to the sink, only checked
 * for NUL bytes and invalid sequences (as the JDK's decoder judges them: no overlong forms,
 * surrogates or code points past U+10FFFF), eight bytes at a time while they are ASCII.
 */
final class Utf8Check implements TextDecoding {
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private final BodyText.Sink sink;
  private long decoded; // bytes decoded so far
  private long invalid; // of them, in invalid sequences
  private int pending; // continuation bytes still expected
  private int pendingBytes; // bytes of the sequence begun so far
  private int lower = 0x80; // bounds of the next continuation byte
  private int upper = 0xBF;

  Utf8Check(BodyText.Sink sink) {
    this.sink = sink;
  }

  @Override
  public void decode(byte[] data, int from, int to) {
    int i = from;
    while (i < to) {
      if (pending == 0 && i + 8 <= to) {
        long word = (long) EIGHT_BYTES.get(data, i);
        if ((word & HIGH_BITS) == 0) {
          if (((word - LOW_BITS) & ~word & HIGH_BITS) != 0) {
            throw nulAt(data, i, from);
          }
          i += 8;
          continue;
        }
      }
      int b = data[i] & 0xFF;
      if (pending > 0) {
        if (b >= lower && b <= upper) {
          pendingBytes++;
          pending--;
          lower = 0x80;
          upper = 0xBF;
          i++;
          continue;
        }
        // The sequence broke off: its bytes are invalid, and this byte starts afresh.
        invalid += pendingBytes;
        pending = 0;
        lower = 0x80;
        upper = 0xBF;
      }
      if (b == 0) {
        throw nulAt(data, i, from);
      }
      if (b >= 0x80) {
        begin(b);
      }
      i++;
    }
    sink.write(data, from, to - from);
    decoded += to - from;
  }

  /** Starts a multi-byte sequence at lead byte {@code b}, or counts an invalid byte. */
  private void begin(int b) {
    if (b >= 0xC2 && b <= 0xDF) {
      pending = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      pending = 2;
      lower = b == 0xE0 ? 0xA0 : 0x80;
      upper = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      pending = 3;
      lower = b == 0xF0 ? 0x90 : 0x80;
      upper = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      invalid++; // a stray continuation byte, or a lead byte UTF-8 never uses
      return;
    }
    pendingBytes = 1;
  }

  private BodyText.NotTextException nulAt(byte[] data, int i, int from) {
    int at = i;
    while (data[at] != 0) {
      at++;
    }
    long nulOffset = decoded + at - from;
    return new BodyText.NotTextException(
        "binary body: a NUL byte at offset "
            + nulOffset
            + (nulOffset < 4
                // Among the first bytes, as in UTF-16 text.
                ? " (UTF-16 or UTF-32 text needs a byte order mark or a declared charset)"
                : ""));
  }

  @Override
  public void finish() {
    if (pending > 0) {
      invalid += pendingBytes;
      pending = 0;
    }
  }

  @Override
  public long invalid() {
    return invalid;
  }

  @Override
  public String charsetName() {
    return "UTF-8";
  }
}
