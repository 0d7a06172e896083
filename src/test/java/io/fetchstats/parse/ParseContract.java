package io.fetchstats.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What any parser may do with any bytes, checked: return a {@link ParseReport} (an error only for
 * JSON, at a byte within the range), with rows and bad rows not negative and no more bad rows than
 * rows, and report cells only with field indexes its sink handed out, each name asked for once.
 */
public final class ParseContract {
  private static final Pattern BROKEN_JSON = Pattern.compile("broken JSON at byte (\\d+): .+");

  /** One call the sink received; a cell names its field. */
  public record Call(String kind, String field, double value) {}

  /** A parse call's report and every call its sink received, in order. */
  public record Parsed(ParseReport report, List<Call> calls) {}

  private ParseContract() {}

  /** Parses {@code data[offset, offset + length)} as a chunk of {@code format} and checks it. */
  public static Parsed parse(
      Format format, byte[] data, int offset, int length, String header, boolean firstChunk) {
    CheckingSink sink = new CheckingSink();
    ParseReport report = format.parse(data, offset, length, header, firstChunk, sink);

    assertThat(report).isNotNull();
    assertThat(report.rows()).isNotNegative();
    assertThat(report.raggedRows()).isNotNegative().isLessThanOrEqualTo(report.rows());
    if (report.error() != null) {
      assertThat(format).as("only JSON breaks off: %s", report.error()).isEqualTo(Format.JSON);
      Matcher at = BROKEN_JSON.matcher(report.error());
      if (at.matches()) {
        assertThat(Long.parseLong(at.group(1))).isBetween(0L, (long) length);
      } else {
        assertThat(report.error()).startsWith("a JSON chunk's header re-opens");
      }
    }
    return new Parsed(report, sink.calls);
  }

  /**
   * Hands out indexes unlike a parser's own counting (not 0, 1, 2...), so that a cell under an
   * index the sink never gave is caught, and records every call.
   */
  private static final class CheckingSink implements CellSink {
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Map<Integer, String> nameOf = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();

    @Override
    public int field(String name) {
      assertThat(name).isNotNull();
      assertThat(indexOf).as("field %s asked for twice", name).doesNotContainKey(name);
      int index = 1_000 + 37 * indexOf.size();
      indexOf.put(name, index);
      nameOf.put(index, name);
      calls.add(new Call("field", name, 0));
      return index;
    }

    @Override
    public void number(int field, double value) {
      calls.add(new Call("number", name(field), value));
    }

    @Override
    public void missing(int field) {
      calls.add(new Call("missing", name(field), 0));
    }

    @Override
    public void nonNumeric(int field) {
      calls.add(new Call("nonNumeric", name(field), 0));
    }

    private String name(int field) {
      assertThat(nameOf).as("a cell of index %d, never handed out", field).containsKey(field);
      return nameOf.get(field);
    }
  }
}
