package io.fetchstats.parse;

import java.util.Locale;

/** How a body is parsed. */
public enum Format {
  TEXT,
  CSV;

  /**
   * CSV if the media type is {@code text/csv} (or the rarer {@code application/csv}, {@code
   * text/comma-separated-values}) or the path ends with {@code .csv}, case-insensitively; TEXT
   * otherwise. The path check covers servers that label CSV files {@code text/plain}.
   */
  public static Format detect(String contentType, String urlPath) {
    if (contentType != null) {
      int semi = contentType.indexOf(';');
      String type =
          (semi >= 0 ? contentType.substring(0, semi) : contentType)
              .trim()
              .toLowerCase(Locale.ROOT);
      if (type.equals("text/csv")
          || type.equals("application/csv")
          || type.equals("text/comma-separated-values")) {
        return CSV;
      }
    }
    if (urlPath != null) {
      String path = urlPath;
      // Tolerate a full URL or a path still carrying its query / fragment.
      int cut = indexOfAny(path, '?', '#');
      if (cut >= 0) {
        path = path.substring(0, cut);
      }
      if (path.regionMatches(true, path.length() - 4, ".csv", 0, 4)) {
        return CSV;
      }
    }
    return TEXT;
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
