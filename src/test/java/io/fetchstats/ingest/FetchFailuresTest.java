package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.domain.FailureClass;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FetchFailuresTest {
  @Test
  void eachExceptionHasItsFailureClass() {
    assertThat(FetchFailures.classify(new UnknownHostException("x"), false))
        .isEqualTo(FailureClass.DNS);
    assertThat(FetchFailures.classify(new SocketTimeoutException(), true))
        .isEqualTo(FailureClass.TIMEOUT);
    assertThat(FetchFailures.classify(new ConnectException("refused"), false))
        .isEqualTo(FailureClass.CONNECT);
    assertThat(FetchFailures.classify(new SSLHandshakeException("bad cert"), false))
        .isEqualTo(FailureClass.TLS);
    assertThat(FetchFailures.classify(new ZipException("bad gzip"), true))
        .isEqualTo(FailureClass.DECODE_ERROR);
    assertThat(FetchFailures.classify(new ProtocolException("bad status line"), false))
        .isEqualTo(FailureClass.HTTP_PROTOCOL);
    assertThat(FetchFailures.classify(new IOException("?"), true)).isEqualTo(FailureClass.IO);
  }

  @Test
  void aConnectionEndingEarlyWasResetBeforeTheStatusLineAndTruncatedTheBodyAfter() {
    IOException reset = new SSLException("read", new SocketException("Connection reset"));
    assertThat(FetchFailures.classify(reset, false)).isEqualTo(FailureClass.CONNECTION_RESET);
    assertThat(FetchFailures.classify(reset, true)).isEqualTo(FailureClass.TRUNCATED);
    assertThat(FetchFailures.classify(new EOFException(), true)).isEqualTo(FailureClass.TRUNCATED);
  }

  @Test
  void headersOverOkHttpsLimitAreAProtocolFailureSaidPlainly() {
    IOException over =
        new IOException(
            "unexpected end of stream", new EOFException("\\n not found: limit=262144 content=…"));

    assertThat(FetchFailures.classify(over, false)).isEqualTo(FailureClass.HTTP_PROTOCOL);
    assertThat(FetchFailures.describe(over)).isEqualTo("response headers over 262144 bytes");
  }

  @Test
  void aBlockedAddressIsToldWhereverItIsWrapped() {
    IOException wrapped =
        new IOException("connect", new BlockedAddressException("10.0.0.1 is a private address"));

    assertThat(FetchFailures.classify(wrapped, false)).isEqualTo(FailureClass.BLOCKED_ADDRESS);
    assertThat(FetchFailures.describe(wrapped)).isEqualTo("10.0.0.1 is a private address");
    assertThat(FetchFailures.describe(new ConnectException("refused")))
        .isEqualTo("ConnectException: refused");
  }

  @Test
  void onlyFailuresThatMayPassAreTransient() {
    assertThat(FetchFailures.isTransient(FailureClass.TIMEOUT, null)).isTrue();
    assertThat(FetchFailures.isTransient(FailureClass.DNS, null)).isFalse();
    assertThat(FetchFailures.isTransient(FailureClass.HTTP_STATUS, 503)).isTrue();
    assertThat(FetchFailures.isTransient(FailureClass.HTTP_STATUS, 429)).isTrue();
    assertThat(FetchFailures.isTransient(FailureClass.HTTP_STATUS, 501)).isFalse();
    assertThat(FetchFailures.isTransient(FailureClass.HTTP_STATUS, 404)).isFalse();
  }
}
