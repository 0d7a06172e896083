package io.fetchstats.domain;

import java.util.ArrayList;
import java.util.List;

/** A list of URLs as people write it: one a line; blank lines and lines starting with # skipped. */
public final class UrlList {
  /** A URL and the 0-based line it stands on. */
  public record Entry(int line, String url) {}

  private UrlList() {}

  public static List<Entry> parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String url = lines.get(i).strip();
      if (!url.isEmpty() && !url.startsWith("#")) {
        entries.add(new Entry(i, url));
      }
    }
    return entries;
  }
}
