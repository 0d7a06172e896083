package io.fetchstats.samples;

/** A request the server refuses, with the status and the text to answer. */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false); // control flow: no stack trace needed
    this.status = status;
  }

  int status() {
    return status;
  }
}
