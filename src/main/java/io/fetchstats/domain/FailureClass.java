package io.fetchstats.domain;

/** Why a URL produced no statistics; travels as its name in outcomes and results. */
public enum FailureClass {
  INVALID_URL,
  UNSUPPORTED_SCHEME,
  BLOCKED_ADDRESS,
  DNS,
  CONNECT,
  /** The TLS handshake failed: an untrusted or invalid certificate, no common protocol. */
  TLS,
  TIMEOUT,
  /** The connection was reset, before or during the response. */
  CONNECTION_RESET,
  HTTP_STATUS,
  /** The response broke HTTP: a malformed status line or chunk, headers over the limit. */
  HTTP_PROTOCOL,
  TOO_MANY_REDIRECTS,
  /** Over the maximum body size, or inflating beyond the maximum ratio (a decompression bomb). */
  TOO_LARGE,
  /** A gzip or deflate body that does not decode, or an encoding not asked for. */
  DECODE_ERROR,
  /** The body ended before its announced length (or its last chunk). */
  TRUNCATED,
  RECORD_TOO_LONG,
  /**
   * The body holds more fields than a URL may have (or their statistics would not fit a record).
   */
  TOO_MANY_FIELDS,
  IO,
  /** A chunk of the body could not be parsed at all. */
  PARSE_ERROR,
  /** The body is not text: NUL bytes, or too many bytes that are no characters of its charset. */
  NOT_TEXT,
  /** The body was fetched but held no number (every cell missing or non-numeric). */
  NO_NUMBERS,
  /** The job was cancelled before the URL was fetched. */
  CANCELLED
}
