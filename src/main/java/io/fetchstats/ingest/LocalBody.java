package io.fetchstats.ingest;

import io.fetchstats.config.FetchSettings;
import io.fetchstats.parse.Format;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body that is not fetched (a file, standard input, a request's body) read exactly as a fetched
 * one: the same limits, text decoding, format detection and chunking, so that what is analyzed from
 * it is what the pipeline would count.
 */
public final class LocalBody {
  /** Receives the body's chunks in order, as ingest would publish them. */
  public interface ChunkConsumer {
    void chunk(int seq, Format format, String header, byte[] data);
  }

  private final BodyReader reader;

  public LocalBody(FetchSettings settings) {
    this.reader =
        new BodyReader(
            settings.chunkBytes(), settings.maxBodyBytes(), settings.maxInflationRatio());
  }

  /**
   * Reads {@code body} into {@code chunks}.
   *
   * @param contentType as a response's Content-Type would say it (charset included), or null
   * @param name a file name whose extension may tell the format where the type does not
   * @param format the format to parse it as whatever it looks like, or null to tell it
   * @param length the body's length if known, else -1
   */
  public FetchResult read(
      InputStream body,
      long length,
      String contentType,
      String name,
      Format format,
      ChunkConsumer chunks)
      throws IOException {
    FetchAttempt attempt = new FetchAttempt(System.nanoTime(), format);
    attempt.contentType = contentType;
    attempt.format = format != null ? format : Format.detect(contentType, name);
    return reader.read(body, length, null, attempt, chunks::chunk);
  }
}
