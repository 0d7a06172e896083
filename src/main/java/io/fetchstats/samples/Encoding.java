package io.fetchstats.samples;

/** A Content-Encoding the server can apply: gzip, or deflate (the zlib format, RFC 9110). */
enum Encoding {
  GZIP("gzip"),
  DEFLATE("deflate");

  private final String token;

  Encoding(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }
}
