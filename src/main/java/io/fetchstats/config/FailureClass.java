package io.fetchstats.config;

/** Why a URL produced no statistics; travels as its name in outcomes and results. */
public enum FailureClass {
  INVALID_URL,
  UNSUPPORTED_SCHEME,
  BLOCKED_ADDRESS,
  DNS,
  CONNECT,
  TIMEOUT,
  HTTP_STATUS,
  TOO_LARGE,
  RECORD_TOO_LONG,
  IO,
  /** A chunk of the body could not be parsed at all. */
  PARSE_ERROR,
  /** The body was fetched but held no number (every cell missing or non-numeric). */
  NO_NUMBERS
}
