package io.fetchstats.ingest;

/**
 * One way of reading a body's bytes as text, for {@link BodyText}: writes the text out as UTF-8,
 * counts the bytes in sequences that are not valid in its charset, and refuses a NUL with a {@link
 * BodyText.NotTextException}.
 */
interface TextDecoding {
  /** Decodes {@code data[from, to)}, the next bytes of the body. */
  void decode(byte[] data, int from, int to);

  /** The body ended: a sequence it cut short is invalid. */
  void finish();

  /** Bytes so far in invalid sequences. */
  long invalid();

  String charsetName();
}
