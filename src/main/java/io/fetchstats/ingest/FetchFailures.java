package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What an exception of a fetch attempt means: its failure class, its words, and whether it may
 * pass.
 */
final class FetchFailures {
  /** What OkHttp reads of a response's status line and headers at most. */
  static final int HEADER_LIMIT = 256 * 1024;

  private FetchFailures() {}

  /**
   * The failure class of an exception; {@code responded} tells whether the status line had arrived
   * (a connection that ends before it was reset; one that ends within the body truncated it).
   */
  static FailureClass classify(Throwable error, boolean responded) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BlockedAddressException) {
        return FailureClass.BLOCKED_ADDRESS;
      }
    }
    if (error instanceof UnknownHostException) {
      return FailureClass.DNS;
    }
    if (error instanceof SocketTimeoutException || error instanceof InterruptedIOException) {
      return FailureClass.TIMEOUT;
    }
    if (error instanceof ConnectException || error instanceof NoRouteToHostException) {
      return FailureClass.CONNECT;
    }
    // A connection reset while TLS reads is an SSLException too: only the handshake's are TLS's.
    if (error instanceof SSLHandshakeException || error instanceof SSLPeerUnverifiedException) {
      return FailureClass.TLS;
    }
    if (error instanceof ZipException) {
      return FailureClass.DECODE_ERROR;
    }
    if (isOverHeaderLimit(error)) {
      return FailureClass.HTTP_PROTOCOL;
    }
    if (error instanceof EOFException || isReset(error)) {
      return responded ? FailureClass.TRUNCATED : FailureClass.CONNECTION_RESET;
    }
    // OkHttp's word for a malformed status line, header or chunk (a body cut short is above).
    if (error instanceof ProtocolException) {
      return FailureClass.HTTP_PROTOCOL;
    }
    return FailureClass.IO;
  }

  /** The error of an exception as an outcome tells it. */
  static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BlockedAddressException) {
        return t.getMessage();
      }
    }
    if (isOverHeaderLimit(error)) {
      return "response headers over " + HEADER_LIMIT + " bytes";
    }
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Failures that may go away if the URL is fetched again. */
  static boolean isTransient(FailureClass failure, Integer status) {
    return switch (failure) {
      case CONNECT, TIMEOUT, CONNECTION_RESET, TRUNCATED, IO -> true;
      case HTTP_STATUS ->
          status != null && (status == 408 || status == 429 || status >= 500 && status != 501);
      default -> false;
    };
  }

  /**
   * OkHttp reads at most {@value #HEADER_LIMIT} bytes of response headers, and says so only in the
   * message of the EOFException it throws past them (wrapped in "unexpected end of stream").
   */
  private static boolean isOverHeaderLimit(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof EOFException
          && t.getMessage() != null
          && t.getMessage().startsWith("\\n not found: limit=")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the connection was reset or closed early (the cause may be wrapped, as in TLS). */
  private static boolean isReset(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if ((t instanceof SocketException
              && message != null
              && (message.contains("reset") || message.contains("Broken pipe")))
          // OkHttp's words for a connection that closed before the response or in the body.
          || (message != null && message.startsWith("unexpected end of stream"))
          || t.getClass().getSimpleName().equals("StreamResetException")) {
        return true;
      }
    }
    return false;
  }
}
