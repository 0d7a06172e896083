package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads a response body as it arrives: gzip and deflate decoded here, so that an inflating body is
 * bounded by size and ratio; the decoded body hashed, turned into text ({@link BodyText}) and
 * chunked ({@link Chunker}), the format told from its start where the headers did not tell it.
 */
final class BodyReader {
  private static final int READ_BUFFER = 64 * 1024;

  /** The format of a body without a specific type is told from this much of its start. */
  static final int SNIFF_BYTES = 64 * 1024;

  /** Small bodies inflate by large ratios innocently; the ratio guard starts past this size. */
  private static final long INFLATION_GUARD_FLOOR = 1 << 20;

  private final int chunkBytes;
  private final long maxBodyBytes;
  private final int maxInflationRatio;

  /** One read buffer per fetch thread, kept: a small body then costs no large allocation. */
  private final ThreadLocal<byte[]> readBuffers =
      ThreadLocal.withInitial(() -> new byte[READ_BUFFER]);

  BodyReader(int chunkBytes, long maxBodyBytes, int maxInflationRatio) {
    this.chunkBytes = chunkBytes;
    this.maxBodyBytes = maxBodyBytes;
    this.maxInflationRatio = maxInflationRatio;
  }

  /**
   * Reads {@code body} into {@code sink}, with the length its headers declared (-1 if none) and its
   * {@code Content-Encoding} (may be null); returns the attempt's result.
   */
  FetchResult read(
      InputStream body, long declared, String encoding, FetchAttempt attempt, Chunker.Sink sink)
      throws IOException {
    if (declared > maxBodyBytes) {
      return attempt.failed(FailureClass.TOO_LARGE, tooLarge(declared));
    }
    TextChunks chunks = new TextChunks(attempt, publishing(sink, attempt));
    BodyText text;
    try {
      text = BodyText.of(attempt.contentType, chunks);
    } catch (BodyText.UnknownCharsetException e) {
      return attempt.failed(FailureClass.DECODE_ERROR, e.getMessage());
    }
    MessageDigest sha256 = sha256();
    byte[] buffer = readBuffers.get();
    ContentDecoding.Counted wire = new ContentDecoding.Counted(body);
    try (InputStream in = ContentDecoding.decoded(encoding, wire)) {
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          FetchResult over = count(n, attempt, in, wire, encoding);
          if (over != null) {
            return over;
          }
          sha256.update(buffer, 0, n);
          text.write(buffer, 0, n);
        }
        text.finish();
        chunks.finish();
      } catch (BodyText.NotTextException
          | Chunker.RecordTooLongException
          | Chunker.MalformedException e) {
        FailureClass failure =
            e instanceof BodyText.NotTextException
                ? FailureClass.NOT_TEXT
                : e instanceof Chunker.MalformedException
                    ? FailureClass.PARSE_ERROR
                    : FailureClass.RECORD_TOO_LONG;
        // A decompression bomb's zeros are NUL bytes and a record without end long before its
        // size tells it is a bomb: read on until it can, to name it as one.
        FetchResult bomb = in == wire ? null : bombOrNull(attempt, in, wire, encoding, buffer);
        return bomb != null ? bomb : attempt.failed(failure, e.getMessage());
      }
    } catch (ContentDecoding.UnsupportedEncodingException e) {
      return attempt.failed(FailureClass.DECODE_ERROR, e.getMessage());
    }
    attempt.sha256 = HexFormat.of().formatHex(sha256.digest());
    return attempt.succeeded();
  }

  /**
   * Counts {@code n} more bytes of the decoded body: a failure if the body is now over the size
   * limit or inflates beyond the ratio, null if it may go on.
   */
  private FetchResult count(
      int n, FetchAttempt attempt, InputStream in, ContentDecoding.Counted wire, String encoding) {
    attempt.bytes += n;
    if (attempt.bytes > maxBodyBytes) {
      return attempt.failed(FailureClass.TOO_LARGE, tooLarge(attempt.bytes));
    }
    if (in != wire
        && attempt.bytes > INFLATION_GUARD_FLOOR
        && attempt.bytes > maxInflationRatio * wire.count()) {
      return attempt.failed(
          FailureClass.TOO_LARGE,
          "the "
              + encoding
              + " body inflates more than "
              + maxInflationRatio
              + " times ("
              + attempt.bytes
              + " bytes from "
              + wire.count()
              + "): a decompression bomb?");
    }
    return null;
  }

  /**
   * Reads on, discarding, until the inflation guard can tell whether the body is a decompression
   * bomb: its failure if so, else null. The decoder reads ahead on the wire, so the ratio shows
   * only once the body is past that buffer times the ratio.
   */
  private FetchResult bombOrNull(
      FetchAttempt attempt,
      InputStream in,
      ContentDecoding.Counted wire,
      String encoding,
      byte[] buffer) {
    long judged =
        Math.max(INFLATION_GUARD_FLOOR, (long) maxInflationRatio * ContentDecoding.BUFFER);
    try {
      int n;
      while (attempt.bytes <= judged && (n = in.read(buffer)) > 0) {
        FetchResult over = count(n, attempt, in, wire, encoding);
        if (over != null) {
          return over;
        }
      }
    } catch (IOException e) {
      // What broke further on was read only to name a bomb: the failure found first stands.
    }
    return null;
  }

  /**
   * Chunks the body's text. The chunker is made once the first {@link #SNIFF_BYTES} of text (or the
   * whole text, if shorter) are in, which may tell the format where the headers did not: so the
   * format is the same however the body arrives.
   */
  private final class TextChunks implements BodyText.Sink {
    private final FetchAttempt attempt;
    private final Chunker.Sink sink;
    private byte[] start = new byte[0];
    private int started;
    private Chunker chunker;

    TextChunks(FetchAttempt attempt, Chunker.Sink sink) {
      this.attempt = attempt;
      this.sink = sink;
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      if (chunker == null) {
        int n = Math.min(length, SNIFF_BYTES - started);
        if (started + n > start.length) {
          start =
              Arrays.copyOf(start, Math.min(SNIFF_BYTES, Math.max(2 * start.length, started + n)));
        }
        System.arraycopy(data, offset, start, started, n);
        started += n;
        if (started < SNIFF_BYTES) {
          return;
        }
        begin();
        offset += n;
        length -= n;
      }
      chunker.write(data, offset, length);
    }

    void finish() {
      if (chunker == null && started > 0) {
        begin();
      }
      if (chunker != null) {
        chunker.finish();
      }
    }

    private void begin() {
      if (attempt.override == null) {
        attempt.format = Format.sniff(attempt.format, attempt.contentType, start, started);
      }
      chunker = new Chunker(attempt.format, chunkBytes, sink);
      chunker.write(start, 0, started);
      start = null;
    }
  }

  /**
   * The sink as the chunker sees it: time spent publishing does not count against the URL's
   * timeout, a publishing failure is told apart from a fetch failure, and every chunk handed on is
   * counted at once (a body with a chunk out must not be fetched again into the same transaction,
   * whatever ends the attempt).
   */
  private static Chunker.Sink publishing(Chunker.Sink sink, FetchAttempt attempt) {
    return (seq, format, header, data) -> {
      attempt.chunks++;
      long start = System.nanoTime();
      try {
        sink.chunk(seq, format, header, data);
      } catch (RuntimeException e) {
        throw new PublishException(e);
      } finally {
        attempt.publishNanos += System.nanoTime() - start;
      }
    };
  }

  private String tooLarge(long bytes) {
    return "body of " + bytes + " bytes or more exceeds the limit of " + maxBodyBytes + " bytes";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
