package io.fetchstats.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Bodies a broken or hostile server might send, for property tests: pure random bytes, and
 * "near-valid" ones made of the tokens the parsers look for (digits, signs, points, exponents,
 * quotes, delimiters, line ends, brackets, escapes, literals, non-finite words), non-ASCII and
 * invalid UTF-8, byte order marks, deep nesting, and valid documents with a few bytes changed.
 */
public final class HostileBytes {

  private static final byte[][] TOKENS = {
    ascii("0"),
    ascii("1"),
    ascii("7"),
    ascii("42"),
    ascii("3.25"),
    ascii("1234567.1234567"), // a short decimal as long as the fast path reads
    ascii("12345678"),
    ascii("123456789012345678901234567890"),
    ascii("0.000001"),
    ascii("1e999"),
    ascii("-0"),
    ascii("007"),
    ascii("-"),
    ascii("+"),
    ascii("."),
    ascii("e"),
    ascii("E"),
    ascii("\""),
    ascii("\"\""),
    ascii(","),
    ascii(";"),
    ascii("\t"),
    ascii(" "),
    ascii("\r"),
    ascii("\n"),
    ascii("\r\n"),
    ascii("["),
    ascii("]"),
    ascii("{"),
    ascii("}"),
    ascii(":"),
    ascii("\\"),
    ascii("\\u"),
    ascii("\\u00e9"),
    ascii("\\ud83d"),
    ascii("\\\""),
    ascii("\"a\":"),
    ascii("\"k\\u00e9y\":"),
    ascii("NaN"),
    ascii("nan"),
    ascii("Infinity"),
    ascii("-Infinity"),
    ascii("inf"),
    ascii("true"),
    ascii("false"),
    ascii("null"),
    ascii("tru"),
    ascii("nul"),
    ascii("x"),
    {0},
    "é".getBytes(StandardCharsets.UTF_8),
    "€".getBytes(StandardCharsets.UTF_8),
    "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
    "\u00A0".getBytes(StandardCharsets.UTF_8),
    {(byte) 0xFF},
    {(byte) 0xC3}, // a lead byte without its continuation
    {(byte) 0x80}, // a continuation without its lead
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
    {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, // byte order mark
    {(byte) 0xEF, (byte) 0xBB}, // half of one
  };

  private HostileBytes() {}

  /** Bodies of up to about {@code maxTokens} tokens (or bytes), of every kind above. */
  public static Arbitrary<byte[]> bodies(int maxTokens) {
    return Arbitraries.frequencyOf(
        Tuple.of(2, randomBytes(maxTokens)),
        Tuple.of(5, tokens(maxTokens)),
        Tuple.of(2, mutated(maxTokens)),
        Tuple.of(1, deep(maxTokens)));
  }

  /** Any bytes at all. */
  public static Arbitrary<byte[]> randomBytes(int maxBytes) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxBytes);
  }

  /** A run of tokens from the parsers' alphabet. */
  public static Arbitrary<byte[]> tokens(int maxTokens) {
    return Arbitraries.of(TOKENS).list().ofMaxSize(maxTokens).map(HostileBytes::join);
  }

  /** A valid JSON, NDJSON, CSV or text body with a few bytes changed (see {@link #damaged}). */
  static Arbitrary<byte[]> mutated(int maxValues) {
    return Arbitraries.of(Format.class).flatMap(format -> damaged(format, maxValues));
  }

  /**
   * A valid body of {@code format} of up to {@code maxValues} values, mostly with up to three bytes
   * replaced, inserted or removed: long valid stretches reach the parsers' and the chunker's deeper
   * states before the damage.
   */
  public static Arbitrary<byte[]> damaged(Format format, int maxValues) {
    Arbitrary<byte[]> valid =
        Arbitraries.integers()
            .between(0, maxValues)
            .map(n -> valid(format, n).getBytes(StandardCharsets.UTF_8));
    Arbitrary<int[]> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of(TOKENS))
            .as((op, at, token) -> new int[] {op, at, token.length > 0 ? token[0] : 0});
    Arbitrary<List<int[]>> edits = edit.list().ofMaxSize(3);
    return valid.flatMap(body -> edits.map(e -> edit(body, e)));
  }

  private static String valid(Format format, int n) {
    return switch (format) {
      case JSON -> json(n);
      case NDJSON -> ndjson(n);
      case CSV -> csv(n, ';');
      case TSV -> csv(n, '\t');
      case TEXT -> text(n);
    };
  }

  /** Brackets and keys around the nesting limit and far past it, then more tokens. */
  static Arbitrary<byte[]> deep(int maxTokens) {
    Arbitrary<String> opener = Arbitraries.of("[", "{\"a\":", "[{\"b\":", "[1,");
    return opener.flatMap(
        open ->
            Arbitraries.integers()
                .between(JsonReader.MAX_DEPTH - 5, 3 * JsonReader.MAX_DEPTH)
                .flatMap(
                    depth ->
                        tokens(maxTokens)
                            .map(tail -> join(List.of(ascii(open.repeat(depth)), tail)))));
  }

  private static String json(int n) {
    StringBuilder s = new StringBuilder("{\"data\": [");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ", ")
          .append(
              i % 3 == 0 ? "{\"p\": " + i + ".5, \"s\": \"a,\\\"b]\"}" : i % 3 == 1 ? i : "[1]");
    }
    return s.append("], \"n\": null}").toString();
  }

  private static String ndjson(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append("{\"a\": ").append(i).append(", \"b\": [true, \"x\"]}\r\n");
    }
    return s.toString();
  }

  private static String csv(int n, char delimiter) {
    StringBuilder s =
        new StringBuilder("\uFEFFa" + delimiter + "\"b \"\"q\"\"\"" + delimiter + "c\r\n");
    for (int i = 0; i < n; i++) {
      s.append(i)
          .append(delimiter)
          .append(i % 2 == 0 ? "\"1\n2\"" : "\" 3,5 \"")
          .append(delimiter)
          .append(i % 3 == 0 ? "" : "-4e2")
          .append(i % 5 == 0 ? "\r\n" : "\n");
    }
    return s.toString();
  }

  private static String text(int n) {
    StringBuilder s = new StringBuilder("\uFEFF");
    for (int i = 0; i < n; i++) {
      s.append(i % 4 == 0 ? "-" + i + ".25" : i % 4 == 1 ? "NaN" : String.valueOf(i))
          .append(i % 7 == 6 ? "\r\n" : i % 3 == 0 ? ", " : " ");
    }
    return s.toString();
  }

  /** Applies edits {op, position, byte}: 0 replaces, 1 inserts, 2 removes the byte there. */
  private static byte[] edit(byte[] body, List<int[]> edits) {
    byte[] b = body;
    for (int[] e : edits) {
      if (b.length == 0) {
        return new byte[] {(byte) e[2]};
      }
      int at = e[1] % b.length;
      ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 1);
      out.write(b, 0, at);
      if (e[0] != 2) {
        out.write(e[2]);
      }
      int from = e[0] == 1 ? at : at + 1;
      out.write(b, from, b.length - from);
      b = out.toByteArray();
    }
    return b;
  }

  private static byte[] join(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Bytes as a Java string literal would show them, for property failures. */
  public static String show(byte[] data, int from, int to) {
    StringBuilder s = new StringBuilder("\"");
    for (int i = from; i < to; i++) {
      int c = data[i] & 0xFF;
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default ->
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : "\\x%02X".formatted(c));
      }
    }
    return s.append('"').toString();
  }
}
