package io.fetchstats.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A markdown table, padded so that it also reads well as plain text. */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  MarkdownTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + header.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The table; the first column is aligned left, the others (numbers) right. */
  String render() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(3, header.get(i).length());
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      char[] dashes = new char[widths[i]];
      Arrays.fill(dashes, '-');
      if (i > 0) {
        dashes[dashes.length - 1] = ':';
      }
      rule.add(new String(dashes));
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      String padding = " ".repeat(widths[i] - cell.length());
      out.append(' ').append(i == 0 ? cell + padding : padding + cell).append(" |");
    }
    out.append('\n');
  }
}
