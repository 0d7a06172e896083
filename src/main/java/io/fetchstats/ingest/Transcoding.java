package io.fetchstats.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link BodyText}'s reading of a charset other than UTF-8: decoded with the JDK's decoder (an
 * invalid sequence counted and read as U+FFFD) and written out as UTF-8.
 */
final class Transcoding implements TextDecoding {
  private final BodyText.Sink sink;
  private final Charset charset;
  private final CharsetDecoder decoder;
  // The decoder reports a lone surrogate as invalid, so the encoder never meets one.
  private final CharsetEncoder encoder =
      StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE);
  private final CharBuffer chars = CharBuffer.allocate(2 * 1024);
  private final ByteBuffer out = ByteBuffer.allocate(3 * 2 * 1024);

  /** Bytes of a character cut by the end of a piece, carried into the next. */
  private byte[] carried = new byte[0];

  private long charsWritten;
  private long invalid; // bytes in invalid sequences

  Transcoding(Charset charset, BodyText.Sink sink) {
    this.charset = charset;
    this.sink = sink;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  @Override
  public void decode(byte[] data, int from, int to) {
    ByteBuffer in;
    if (carried.length == 0) {
      in = ByteBuffer.wrap(data, from, to - from);
    } else {
      byte[] joined = Arrays.copyOf(carried, carried.length + to - from);
      System.arraycopy(data, from, joined, carried.length, to - from);
      in = ByteBuffer.wrap(joined);
    }
    run(in, false);
    carried = new byte[in.remaining()];
    in.get(carried);
  }

  @Override
  public void finish() {
    run(ByteBuffer.wrap(carried), true);
    carried = new byte[0];
    while (decoder.flush(chars).isOverflow()) {
      drain();
    }
    drain();
  }

  private void run(ByteBuffer in, boolean last) {
    while (true) {
      CoderResult result = decoder.decode(in, chars, last);
      if (result.isError()) {
        invalid += result.length();
        in.position(in.position() + result.length());
        if (!chars.hasRemaining()) {
          drain();
        }
        chars.put('\uFFFD');
      } else if (result.isOverflow()) {
        drain();
      } else {
        drain();
        return;
      }
    }
  }

  /** Checks the decoded characters for NUL and writes them out as UTF-8. */
  private void drain() {
    chars.flip();
    for (int i = chars.position(); i < chars.limit(); i++) {
      if (chars.get(i) == 0) {
        throw new BodyText.NotTextException(
            "binary body: a NUL character (U+0000) at character "
                + (charsWritten + i - chars.position()));
      }
    }
    int start = chars.position();
    // A surrogate pair cut by the end of the buffer waits in it for its second half.
    while (encoder.encode(chars, out, false).isOverflow()) {
      write();
    }
    write();
    charsWritten += chars.position() - start;
    chars.compact();
  }

  private void write() {
    out.flip();
    if (out.hasRemaining()) {
      sink.write(out.array(), out.position(), out.remaining());
    }
    out.clear();
  }

  @Override
  public long invalid() {
    return invalid;
  }

  @Override
  public String charsetName() {
    return charset.name();
  }
}
