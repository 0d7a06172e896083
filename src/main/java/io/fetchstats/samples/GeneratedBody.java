package io.fetchstats.samples;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generated data of one format and seed, served at {@code /gen/{format}?bytes=N&seed=S}: a header,
 * whole records, and a trailer. A body of at most N bytes repeats a block of about 256 KiB of
 * records (so record ids repeat from one block to the next) and ends with part of it, so its size
 * is known at once and a gigabyte costs no more memory than a kilobyte.
 */
public final class GeneratedBody {
  static final int BLOCK_BYTES = 256 * 1024;
  private static final List<String> LABELS =
      List.of(
          "oslo", "lisbon", "quito", "nairobi", "osaka", "perth", "lima", "accra", "hanoi",
          "tromso", "cusco", "dakar", "kyoto", "hobart", "bergen", "porto");

  /** A generated format: its name in the path and its Content-Type. */
  public enum Kind {
    TEXT("text", "text/plain"),
    CSV("csv", "text/csv"),
    TSV("tsv", "text/tab-separated-values"),
    JSON("json", "application/json"),
    NDJSON("ndjson", "application/x-ndjson");

    private final String pathName;
    private final String contentType;

    Kind(String pathName, String contentType) {
      this.pathName = pathName;
      this.contentType = contentType;
    }

    public String pathName() {
      return pathName;
    }

    public String contentType() {
      return contentType;
    }

    /** The kind served at {@code /gen/{pathName}}, if any. */
    public static Optional<Kind> fromPathName(String pathName) {
      return Arrays.stream(values()).filter(kind -> kind.pathName.equals(pathName)).findFirst();
    }
  }

  private final Kind kind;
  private final byte[] head;
  private final byte[] block;
  private final int[] recordEnds;
  // Replaces the separator that ends the last record; as long as it, so sizes add up the same.
  private final byte[] last;

  private GeneratedBody(Kind kind, byte[] head, byte[] block, int[] recordEnds, byte[] last) {
    this.kind = kind;
    this.head = head;
    this.block = block;
    this.recordEnds = recordEnds;
    this.last = last;
  }

  /** The data of {@code kind} for {@code seed}: the same bytes every time. */
  public static GeneratedBody of(Kind kind, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder records = new StringBuilder(BLOCK_BYTES + 1024);
    IntStream.Builder ends = IntStream.builder();
    for (int id = 1; records.length() < BLOCK_BYTES; id++) {
      appendRecord(kind, records, id, random);
      ends.add(records.length());
    }
    String head =
        switch (kind) {
          case CSV -> "id,value,score,label\n";
          case TSV -> "id\tvalue\tscore\tlabel\n";
          case JSON -> "[";
          case TEXT, NDJSON -> "";
        };
    return new GeneratedBody(
        kind,
        ascii(head),
        ascii(records),
        ends.build().toArray(),
        ascii(kind == Kind.JSON ? "]\n" : "\n"));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The size of the body for {@code maxBytes}: the largest of whole records that fits, or one
   * record if none does.
   */
  public long length(long maxBytes) {
    return head.length + recordsLength(maxBytes);
  }

  /** The body for {@code maxBytes}, in memory: for tests and small sizes. */
  public byte[] bytes(long maxBytes) {
    return body(maxBytes).toByteArray();
  }

  Body body(long maxBytes) {
    return new Body(head, block, recordsLength(maxBytes) - last.length, last);
  }

  private long recordsLength(long maxBytes) {
    long room = maxBytes - head.length;
    if (room < recordEnds[0]) {
      return recordEnds[0];
    }
    long blocks = room / block.length;
    int rest = (int) (room % block.length);
    int found = Arrays.binarySearch(recordEnds, rest);
    int records = found >= 0 ? found + 1 : -found - 1;
    return blocks * block.length + (records == 0 ? 0 : recordEnds[records - 1]);
  }

  private static void appendRecord(Kind kind, StringBuilder out, int id, SplittableRandom random) {
    switch (kind) {
      case TEXT -> appendNumbers(out, random);
      case CSV -> appendRow(out, id, random, ',');
      case TSV -> appendRow(out, id, random, '\t');
      case JSON -> appendObject(out, id, random, ",\n");
      case NDJSON -> appendObject(out, id, random, "\n");
    }
  }

  private static void appendNumbers(StringBuilder out, SplittableRandom random) {
    for (int i = 0; i < 10; i++) {
      appendFixed(out, Math.round((random.nextGaussian() * 15 + 100) * 10_000), 4);
      out.append(i < 9 ? ' ' : '\n');
    }
  }

  private static void appendRow(
      StringBuilder out, int id, SplittableRandom random, char separator) {
    out.append(id).append(separator);
    appendFixed(out, value(random), 2);
    out.append(separator);
    appendFixed(out, score(random), 3);
    out.append(separator).append(label(random)).append('\n');
  }

  private static void appendObject(
      StringBuilder out, int id, SplittableRandom random, String separator) {
    out.append("{\"id\":").append(id).append(",\"value\":");
    appendFixed(out, value(random), 2);
    out.append(",\"score\":");
    appendFixed(out, score(random), 3);
    out.append(",\"label\":\"").append(label(random)).append("\"}").append(separator);
  }

  /** In hundredths, 0 to 9999.99. */
  private static long value(SplittableRandom random) {
    return random.nextLong(0, 1_000_000);
  }

  /** In thousandths, -100 to 100. */
  private static long score(SplittableRandom random) {
    return random.nextLong(-100_000, 100_001);
  }

  private static String label(SplittableRandom random) {
    return LABELS.get(random.nextInt(LABELS.size()));
  }

  /** Appends {@code scaled / 10^decimals} with exactly that many decimals, as %.Nf would. */
  private static void appendFixed(StringBuilder out, long scaled, int decimals) {
    long unit = (long) Math.pow(10, decimals);
    long magnitude = Math.abs(scaled);
    if (scaled < 0) {
      out.append('-');
    }
    out.append(magnitude / unit).append('.');
    String fraction = Long.toString(magnitude % unit);
    out.append("0".repeat(decimals - fraction.length())).append(fraction);
  }

  private static byte[] ascii(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
