package io.fetchstats.ingest;

import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Which URL requests of one partition of the urls topic are done, kept in the offset a transaction
 * commits, so that after a restart every request whose outcome was committed is skipped and every
 * other one is fetched. Requests start in order (record by record, line by line) but end in any
 * order; so the progress is a frontier, before which everything started, and the requests open
 * (started, not done) before it. A request is done once its outcome is sent: the commit that
 * carries this progress carries that outcome too.
 *
 * <p>The committed offset is that of the first record not wholly done; its metadata ({@code fs2;}
 * and base-36 numbers relative to it) holds the frontier and the open requests, at most {@link
 * #MAX_OPEN} of them, well within the broker's limit of 4 KiB (offset.metadata.max.bytes). A record
 * before the frontier was reached: its dead letter, if it has one, was sent.
 */
final class PartitionProgress {
  /** Requests open in one partition at most, which bounds the committed metadata's size. */
  static final int MAX_OPEN = 256;

  private static final String FORMAT = "fs2;";

  /** The resume point written before progress had open requests: the record's next line. */
  private static final String RESUME_LINE = "fetchstats.line=";

  private static final int ALL_LINES = Integer.MAX_VALUE;
  private static final int RADIX = 36;

  /** A request's place in the partition. */
  record Position(long offset, int line) implements Comparable<Position> {
    @Override
    public int compareTo(Position other) {
      int byOffset = Long.compare(offset, other.offset);
      return byOffset != 0 ? byOffset : Integer.compare(line, other.line);
    }
  }

  /** The last record reached, and its first line not started ({@link #ALL_LINES}: none left). */
  private long frontierOffset;

  private int frontierLine;
  private final TreeSet<Position> open = new TreeSet<>();

  private PartitionProgress(long frontierOffset, int frontierLine) {
    this.frontierOffset = frontierOffset;
    this.frontierLine = frontierLine;
  }

  /** The progress a partition's committed offset holds ({@code committed} null: none). */
  static PartitionProgress resume(OffsetAndMetadata committed) {
    if (committed == null) {
      return new PartitionProgress(-1, ALL_LINES);
    }
    long base = committed.offset();
    String metadata = committed.metadata();
    if (metadata.startsWith(RESUME_LINE)) {
      return new PartitionProgress(
          base, Integer.parseInt(metadata.substring(RESUME_LINE.length())));
    }
    if (!metadata.startsWith(FORMAT)) {
      return new PartitionProgress(base - 1, ALL_LINES);
    }
    String[] parts = metadata.substring(FORMAT.length()).split(";", -1);
    String[] frontier = parts[0].split("\\.");
    PartitionProgress progress =
        new PartitionProgress(
            base + Long.parseLong(frontier[0], RADIX),
            frontier[1].equals("*") ? ALL_LINES : Integer.parseInt(frontier[1], RADIX));
    Position previous = new Position(base, 0);
    for (String entry : parts[1].isEmpty() ? new String[0] : parts[1].split(",")) {
      previous =
          entry.startsWith("+")
              ? new Position(
                  previous.offset(), previous.line() + Integer.parseInt(entry.substring(1), RADIX))
              : new Position(
                  previous.offset() + Long.parseLong(entry.substring(0, entry.indexOf('.')), RADIX),
                  Integer.parseInt(entry.substring(entry.indexOf('.') + 1), RADIX));
      progress.open.add(previous);
    }
    return progress;
  }

  /** Whether the record at {@code offset} was reached (its dead letter, if any, is sent). */
  boolean reached(long offset) {
    return offset <= frontierOffset;
  }

  /** Whether the request at this place is still to be fetched. */
  boolean toFetch(long offset, int line) {
    return open.contains(new Position(offset, line)) || !beforeFrontier(offset, line);
  }

  /** The record at {@code offset} is reached: its dead letter, if any, is being sent. */
  void reach(long offset) {
    if (offset > frontierOffset) {
      frontierOffset = offset;
      frontierLine = 0;
    }
  }

  /** The request at this place is started. */
  void started(long offset, int line) {
    open.add(new Position(offset, line));
    if (!beforeFrontier(offset, line)) {
      frontierOffset = offset;
      frontierLine = line + 1;
    }
  }

  /** Every request of the record at {@code offset} is started. */
  void passed(long offset) {
    if (offset >= frontierOffset) {
      frontierOffset = offset;
      frontierLine = ALL_LINES;
    }
  }

  /** The request at this place is done: its outcome is sent. */
  void done(long offset, int line) {
    open.remove(new Position(offset, line));
  }

  /** Requests started (or left open by an earlier commit) and not done. */
  int open() {
    return open.size();
  }

  /** The offset to commit for this progress, or null if nothing was reached. */
  OffsetAndMetadata commitPoint() {
    if (frontierOffset < 0 && open.isEmpty()) {
      return null;
    }
    long frontierRecord = frontierLine == ALL_LINES ? frontierOffset + 1 : frontierOffset;
    long base = open.isEmpty() ? frontierRecord : Math.min(open.first().offset(), frontierRecord);
    if (base > frontierOffset) {
      return new OffsetAndMetadata(base);
    }
    StringBuilder metadata =
        new StringBuilder(FORMAT)
            .append(Long.toString(frontierOffset - base, RADIX))
            .append('.')
            .append(frontierLine == ALL_LINES ? "*" : Integer.toString(frontierLine, RADIX))
            .append(';');
    Position previous = new Position(base, 0);
    for (Position position : open) {
      if (position.offset() == previous.offset()) {
        metadata.append('+').append(Integer.toString(position.line() - previous.line(), RADIX));
      } else {
        metadata
            .append(Long.toString(position.offset() - previous.offset(), RADIX))
            .append('.')
            .append(Integer.toString(position.line(), RADIX));
      }
      metadata.append(',');
      previous = position;
    }
    if (!open.isEmpty()) {
      metadata.setLength(metadata.length() - 1);
    }
    return new OffsetAndMetadata(base, metadata.toString());
  }

  private boolean beforeFrontier(long offset, int line) {
    return offset < frontierOffset || (offset == frontierOffset && line < frontierLine);
  }
}
