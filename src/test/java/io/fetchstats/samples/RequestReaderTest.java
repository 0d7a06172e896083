package io.fetchstats.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestReaderTest {

  @Test
  void readsTheRequestLineAndHeaders() throws Exception {
    RequestHead head =
        reader(
                "GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept:  */*  \r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n")
            .readHead();

    assertThat(head.method()).isEqualTo("GET");
    assertThat(head.target()).isEqualTo("/a?b=c");
    assertThat(head.http11()).isTrue();
    assertThat(head.headers())
        .containsEntry("host", "x")
        .containsEntry("accept", "*/*")
        .containsEntry("x-twice", "1, 2");
    assertThat(head.contentLength()).isZero();
    assertThat(head.keepAlive()).isTrue();
  }

  @Test
  void readsRequestsOneAfterAnotherSkippingTheirBodies() throws Exception {
    RequestReader reader =
        reader(
            "POST /one HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "\r\n" // a stray blank line before a request line is allowed
                + "GET /two HTTP/1.1\r\nConnection: close\r\n\r\n");

    RequestHead one = reader.readHead();
    reader.discard(one.contentLength());
    RequestHead two = reader.readHead();

    assertThat(one.contentLength()).isEqualTo(5);
    assertThat(two.target()).isEqualTo("/two");
    assertThat(two.keepAlive()).isFalse();
    assertThat(reader.readHead()).as("the end of the stream").isNull();
  }

  @Test
  void readsAHeadThatComesAByteAtATimeWithBareLineFeeds() throws Exception {
    byte[] bytes = ascii("GET / HTTP/1.0\nHost: x\n\n");
    InputStream trickle =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] buffer, int offset, int length) {
            return super.read(buffer, offset, Math.min(1, length));
          }
        };

    RequestHead head = new RequestReader(trickle).readHead();

    assertThat(head.target()).isEqualTo("/");
    assertThat(head.http11()).isFalse();
    assertThat(head.keepAlive()).as("HTTP/1.0").isFalse();
  }

  @Test
  void aHeadOfSixteenKibibytesIsReadAndOneByteMoreIs431() throws Exception {
    String start = "GET / HTTP/1.1\r\nX-Fill: ";
    int fill = RequestReader.MAX_HEAD_BYTES - start.length() - 4;
    String largest = start + "x".repeat(fill) + "\r\n\r\n";

    assertThat(reader(largest).readHead().headers().get("x-fill")).hasSize(fill);
    assertThatThrownBy(() -> reader(start + "x".repeat(fill + 1) + "\r\n\r\n").readHead())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(431));
    assertThatThrownBy(() -> reader(start + "x".repeat(100_000)).readHead())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(431));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / FTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET / HTTP/1.1\r\nno colon\r\n\r\n",
        "GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: cut short"
      })
  void aMalformedHeadIs400(String request) {
    assertThatThrownBy(() -> reader(request).readHead())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void aRepeatedContentLengthWithOneValueIsThatValue() throws Exception {
    assertThat(reader("GET / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n").readHead().contentLength())
        .isEqualTo(3);
  }

  @Test
  void anotherHttpVersionIs505() {
    assertThatThrownBy(() -> reader("GET / HTTP/2.0\r\n\r\n").readHead())
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(505));
  }

  @Test
  void drainReadsToTheEnd() throws IOException, HttpError {
    ByteArrayInputStream in = new ByteArrayInputStream(ascii("GET / HTTP/1.1\r\n\r\nmore bytes"));
    RequestReader reader = new RequestReader(in);
    reader.readHead();

    reader.drain();

    assertThat(in.available()).isZero();
  }

  private static RequestReader reader(String bytes) {
    return new RequestReader(new ByteArrayInputStream(ascii(bytes)));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
