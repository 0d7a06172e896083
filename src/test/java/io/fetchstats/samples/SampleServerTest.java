package io.fetchstats.samples;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchstats.samples.GeneratedBody.Kind;
import io.fetchstats.samples.SampleServer.Resource;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server over real sockets: each route and fault, seen by the JDK client or as raw bytes. */
@Timeout(60)
class SampleServerTest {
  private static final String CSV = "x,y\n1,2\n3,4\n";
  private static final Duration READ_DEADLINE = Duration.ofSeconds(10);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final HttpClient FOLLOWING =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  private SampleServer server;

  @BeforeEach
  void start() {
    server =
        SampleServer.start(
            Map.of(
                "/data.csv",
                new Resource("text/csv", ascii(CSV)),
                "/moved",
                Resource.redirect("/data.csv"),
                "/teapot",
                new Resource(
                    418, "text/plain", ascii("short and stout\n"), Map.of("X-Kind", "pot"))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void listensOnLoopback() {
    assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:[0-9]+");
  }

  @Test
  void servesResourcesWithTheirStatusTypeLengthAndHeaders() throws Exception {
    HttpResponse<byte[]> data = get(CLIENT, "/data.csv");
    HttpResponse<byte[]> teapot = get(CLIENT, "/teapot");

    assertThat(data.statusCode()).isEqualTo(200);
    assertThat(data.headers().firstValue("Content-Type")).hasValue("text/csv");
    assertThat(data.headers().firstValue("Content-Length")).hasValue("" + CSV.length());
    assertThat(data.headers().firstValue("Date")).isPresent();
    assertThat(data.body()).asString(US_ASCII).isEqualTo(CSV);
    assertThat(teapot.statusCode()).isEqualTo(418);
    assertThat(teapot.headers().firstValue("X-Kind")).hasValue("pot");
    assertThat(teapot.body()).asString(US_ASCII).isEqualTo("short and stout\n");
  }

  @Test
  void redirectsAsTheResourceSaysAndAnswers404ForUnknownPaths() throws Exception {
    HttpResponse<byte[]> moved = get(CLIENT, "/moved");
    HttpResponse<byte[]> missing = get(CLIENT, "/missing.csv");

    assertThat(moved.statusCode()).isEqualTo(302);
    assertThat(moved.headers().firstValue("Location")).hasValue("/data.csv");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).asString(US_ASCII).isEqualTo("not found\n");
  }

  @Test
  void headGetsTheHeadOfAGetAndNoBody() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("HEAD /gen/csv?bytes=5000 HTTP/1.1\r\n\r\nGET /data.csv HTTP/1.1\r\n\r\n");

      RawResponse head = connection.readHead();
      RawResponse get = connection.read();

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers())
          .containsEntry("Content-Length", "" + GeneratedBody.of(Kind.CSV, 0).length(5000));
      assertThat(get.body()).asString(US_ASCII).isEqualTo(CSV); // so no body came after the HEAD
    }
  }

  @Test
  void aConnectionServesRequestsInTurnUntilTheClientAsksToClose() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send(
          "GET /data.csv HTTP/1.1\r\n\r\n"
              + "GET /missing HTTP/1.1\r\n\r\n"
              + "GET /data.csv HTTP/1.1\r\nConnection: close\r\n\r\n");

      RawResponse first = connection.read();
      RawResponse second = connection.read();
      RawResponse last = connection.read();

      assertThat(List.of(first.status(), second.status(), last.status()))
          .containsExactly(200, 404, 200);
      assertThat(first.headers()).doesNotContainKey("Connection");
      assertThat(last.headers()).containsEntry("Connection", "close");
      assertThat(connection.readToEnd()).isEmpty();
    }
  }

  @Test
  void anHttp10RequestGetsOneResponseThenTheConnectionCloses() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /data.csv HTTP/1.0\r\n\r\n");

      assertThat(connection.read().headers()).containsEntry("Connection", "close");
      assertThat(connection.readToEnd()).isEmpty();
    }
  }

  @Test
  void otherMethodsGet405AndTheirBodyIsReadPastTheNextRequest() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send(
          "POST /data.csv HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
              + "GET /data.csv HTTP/1.1\r\n\r\n");

      RawResponse post = connection.read();
      RawResponse get = connection.read();

      assertThat(post.status()).isEqualTo(405);
      assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
      assertThat(get.body()).asString(US_ASCII).isEqualTo(CSV);
    }
  }

  @Test
  void aMalformedRequestGets400AndTheConnectionCloses() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /data.csv\r\n\r\n");

      assertThat(connection.read().status()).isEqualTo(400);
      assertThat(connection.readToEnd()).isEmpty();
    }
  }

  @Test
  void aHeadOver16KibibytesGets431AndTheConnectionCloses() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      // More than socket buffers hold: unless the server reads it all before closing, the write
      // fails and the client never reads the answer.
      connection.send("GET /data.csv HTTP/1.1\r\nX-Big: " + "x".repeat(16_000_000) + "\r\n\r\n");

      assertThat(connection.read().status()).isEqualTo(431);
      assertThat(connection.readToEnd()).isEmpty();
    }
  }

  @Test
  void aClientExpectingContinueGetsItBeforeSendingTheBody() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send(
          "POST /data.csv HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");

      RawResponse interim = connection.readHead();
      connection.send("hello");

      assertThat(interim.status()).isEqualTo(100);
      assertThat(connection.read().status()).isEqualTo(405);
    }
  }

  @Test
  void aChunkedRequestBodyGets411AndTheConnectionCloses() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send(
          "POST /data.csv HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

      assertThat(connection.read().status()).isEqualTo(411);
      assertThat(connection.readToEnd()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void generatesEachFormat(Kind kind) throws Exception {
    HttpResponse<byte[]> sized = get(CLIENT, "/gen/" + kind.pathName() + "?bytes=5000&seed=3");
    HttpResponse<byte[]> byDefault = get(CLIENT, "/gen/" + kind.pathName());

    assertThat(sized.statusCode()).isEqualTo(200);
    assertThat(sized.headers().firstValue("Content-Type")).hasValue(kind.contentType());
    assertThat(sized.body()).isEqualTo(GeneratedBody.of(kind, 3).bytes(5000));
    assertThat(byDefault.body()).isEqualTo(GeneratedBody.of(kind, 0).bytes(1024));
  }

  @Test
  void anUnknownFormatIsNotFound() throws Exception {
    assertThat(get(CLIENT, "/gen/xml").statusCode()).isEqualTo(404);
  }

  @Test
  void aLargeGeneratedBodyIsStreamedWhole() throws Exception {
    Body expected = GeneratedBody.of(Kind.NDJSON, 9).body(64L * 1024 * 1024);
    MessageDigest digest = sha256();
    expected.write(
        new DigestOutputStream(OutputStream.nullOutputStream(), digest), 0, expected.length());

    HttpResponse<InputStream> response =
        CLIENT.send(
            request("/gen/ndjson?seed=9&bytes=" + 64 * 1024 * 1024), BodyHandlers.ofInputStream());

    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(expected.length());
    assertThat(digest(response.body())).isEqualTo(digest.digest());
  }

  @Test
  void latencyComesBeforeTheResponse() throws Exception {
    long start = System.nanoTime();

    HttpResponse<byte[]> response = get(CLIENT, "/data.csv?latency=300");

    // A lower bound only: the server waits at least this long, however busy the machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(response.body()).asString(US_ASCII).isEqualTo(CSV);
  }

  @Test
  void statusReplacesTheContentWithAShortTextAndRetryAfter() throws Exception {
    HttpResponse<byte[]> unavailable = get(CLIENT, "/gen/csv?status=503&retryAfter=7");
    HttpResponse<byte[]> teapot = get(CLIENT, "/missing?status=429");
    HttpResponse<byte[]> empty = get(CLIENT, "/data.csv?status=204");

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(unavailable.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(unavailable.body()).asString(US_ASCII).isEqualTo("503 Service Unavailable\n");
    assertThat(teapot.statusCode()).isEqualTo(429);
    assertThat(teapot.headers().firstValue("Retry-After")).isEmpty();
    assertThat(empty.statusCode()).isEqualTo(204);
    assertThat(empty.headers().firstValue("Content-Length")).isEmpty();
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void retryAfterDateIsAnHttpDateThatManySecondsAheadRoundedUp() throws Exception {
    Instant before = Instant.now();
    HttpResponse<byte[]> response = get(CLIENT, "/data.csv?status=503&retryAfterDate=60");
    Instant after = Instant.now();

    Instant date =
        ZonedDateTime.parse(
                response.headers().firstValue("Retry-After").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
    assertThat(date)
        .isBetween(before.plusSeconds(60), after.plusSeconds(61).truncatedTo(ChronoUnit.SECONDS));
  }

  @Test
  void failuresInjectIntoTheFirstRequestsOfATargetOnlyUntilTheCountersAreReset() throws Exception {
    String target = "/data.csv?status=503&failures=2";

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(get(CLIENT, target).statusCode());
    }
    int otherTarget = get(CLIENT, target + "&n=1").statusCode();
    server.resetCounters();
    int afterReset = get(CLIENT, target).statusCode();

    assertThat(statuses).containsExactly(503, 503, 200, 200);
    assertThat(otherTarget).isEqualTo(503);
    assertThat(afterReset).isEqualTo(503);
  }

  @Test
  void failuresAlsoLimitFaults() throws Exception {
    // Raw connections, as the JDK client would quietly retry a GET that was reset.
    String request = "GET /data.csv?fault=reset&failures=1 HTTP/1.1\r\n\r\n";
    try (RawConnection first = new RawConnection(server).send(request)) {
      assertThatThrownBy(first::readToEnd).isInstanceOf(SocketException.class);
    }
    try (RawConnection second = new RawConnection(server).send(request)) {
      assertThat(second.read().body()).asString(US_ASCII).isEqualTo(CSV);
    }
  }

  @Test
  void resetSendsATcpResetBeforeAnyByte() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /data.csv?fault=reset HTTP/1.1\r\n\r\n");

      assertThatThrownBy(connection::readToEnd)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThatThrownBy(() -> get(CLIENT, "/data.csv?fault=reset")).isInstanceOf(IOException.class);
  }

  @Test
  void resetBodySendsTheHeadAndHalfTheBodyThenATcpReset() throws Exception {
    byte[] content = GeneratedBody.of(Kind.CSV, 0).bytes(10_000);
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /gen/csv?bytes=10000&fault=reset-body HTTP/1.1\r\n\r\n");

      RawResponse head = connection.readHead();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      assertThatThrownBy(() -> connection.copyTo(received))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");

      assertThat(head.headers()).containsEntry("Content-Length", "" + content.length);
      // All of the half comes here, as it fits in the socket buffers; a big one may not.
      assertThat(received.toByteArray()).isEqualTo(Arrays.copyOf(content, content.length / 2));
    }
  }

  @Test
  void truncateSendsTheHeadAndHalfTheBodyThenCloses() throws Exception {
    byte[] content = GeneratedBody.of(Kind.TEXT, 0).bytes(10_000);
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /gen/text?bytes=10000&fault=truncate HTTP/1.1\r\n\r\n");

      RawResponse head = connection.readHead();
      byte[] received = connection.readToEnd();

      assertThat(head.headers()).containsEntry("Content-Length", "" + content.length);
      assertThat(received).isEqualTo(Arrays.copyOf(content, content.length / 2));
    }
    assertThatThrownBy(() -> get(CLIENT, "/gen/text?fault=truncate"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void hangAnswersNothingUntilTheServerCloses() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /data.csv?fault=hang HTTP/1.1\r\n\r\n");
      await().atMost(READ_DEADLINE).until(() -> server.maxConcurrentRequests() == 1);

      server.close();

      assertThat(connection.readToEnd()).isEmpty();
      assertThat(server.requests()).as("the hanging request, ended").isEqualTo(1);
    }
  }

  @Test
  void closeEndsALatencyWait() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /data.csv?latency=600000 HTTP/1.1\r\n\r\n");
      await().atMost(READ_DEADLINE).until(() -> server.maxConcurrentRequests() == 1);

      server.close();

      assertThat(connection.readToEnd()).isEmpty();
      assertThat(server.requests()).as("the waiting request, ended").isEqualTo(1);
    }
  }

  @Test
  void closeEndsASlowBody() throws Exception {
    try (RawConnection connection = new RawConnection(server)) {
      connection.send("GET /gen/text?bytes=100000&fault=slow&rate=20 HTTP/1.1\r\n\r\n");
      RawResponse head = connection.readHead();

      server.close();

      assertThat(head.status()).isEqualTo(200);
      assertThat(connection.readToEnd().length).isLessThan(100_000);
      assertThat(server.requests()).as("the slow request, ended").isEqualTo(1);
    }
  }

  @Test
  void slowSendsTheBodyAtAboutTheRate() throws Exception {
    long start = System.nanoTime();

    HttpResponse<byte[]> response = get(CLIENT, "/gen/text?bytes=2000&fault=slow&rate=4000");

    // 1,900 bytes or so after the first piece, at 4,000 a second: a lower bound only.
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(response.body()).isEqualTo(GeneratedBody.of(Kind.TEXT, 0).bytes(2000));
  }

  @Test
  void gzipBombInflatesAThousandfold() throws Exception {
    int inflated = 16 * 1024 * 1024;

    HttpResponse<byte[]> response = get(CLIENT, "/data.csv?fault=gzip-bomb&inflated=" + inflated);

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(response.body().length).isLessThan(inflated / 900);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(inflated);
    }
  }

  @Test
  void badGzipIsNotGzip() throws Exception {
    HttpResponse<byte[]> response = get(CLIENT, "/data.csv?fault=bad-gzip");

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThatThrownBy(
            () -> new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes())
        .isInstanceOf(ZipException.class);
  }

  @Test
  void redirectLoopPointsAtItself() throws Exception {
    HttpResponse<byte[]> response = get(CLIENT, "/data.csv?fault=redirect-loop");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue("/data.csv?fault=redirect-loop");
  }

  @Test
  void redirectsReachTheContentAfterThatManyHops() throws Exception {
    HttpResponse<byte[]> hop = get(CLIENT, "/data.csv?a=1&redirects=3&b=2");
    server.resetCounters();

    HttpResponse<byte[]> followed = get(FOLLOWING, "/data.csv?a=1&redirects=3&b=2");

    assertThat(hop.statusCode()).isEqualTo(302);
    assertThat(hop.headers().firstValue("Location")).hasValue("/data.csv?a=1&redirects=2&b=2");
    assertThat(followed.uri().toString()).endsWith("/data.csv?a=1&b=2");
    assertThat(followed.body()).asString(US_ASCII).isEqualTo(CSV);
    assertThat(server.requests()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void encodingCompressesTheContent(Encoding encoding) throws Exception {
    String query = "?encoding=" + encoding.token();
    HttpResponse<byte[]> small = get(CLIENT, "/data.csv" + query);
    HttpResponse<byte[]> big = get(CLIENT, "/gen/tsv" + query + "&bytes=3000000");

    assertThat(small.headers().firstValue("Content-Encoding")).hasValue(encoding.token());
    assertThat(small.headers().firstValueAsLong("Content-Length")).hasValue(small.body().length);
    assertThat(decode(encoding, small.body())).asString(US_ASCII).isEqualTo(CSV);
    assertThat(decode(encoding, big.body()))
        .isEqualTo(GeneratedBody.of(Kind.TSV, 0).bytes(3_000_000));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "latency=soon",
        "status=99",
        "status=600",
        "fault=explode",
        "encoding=br",
        "rate=0",
        "failures=-1",
        "bytes=-5"
      })
  void aBadParameterGets400(String query) throws Exception {
    HttpResponse<byte[]> response = get(CLIENT, "/gen/csv?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).asString(US_ASCII).containsPattern("^(bad|unknown) ");
  }

  @Test
  void countsRequestsAndTheMostAtOnceOnThreadsOfItsOwn() throws Exception {
    for (int i = 0; i < 3; i++) {
      get(CLIENT, "/data.csv");
    }
    assertThat(server.requests()).isEqualTo(3);
    assertThat(server.maxConcurrentRequests()).isEqualTo(1);

    List<RawConnection> hanging = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        hanging.add(new RawConnection(server).send("GET /data.csv?fault=hang HTTP/1.1\r\n\r\n"));
      }
      await().atMost(READ_DEADLINE).until(() -> server.maxConcurrentRequests() == 4);
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(thread -> thread.getName().matches("fetchstats-samples-[0-9]+"))
          .hasSizeGreaterThanOrEqualTo(4);
    } finally {
      for (RawConnection connection : hanging) {
        connection.close();
      }
    }
    await().atMost(READ_DEADLINE).until(() -> server.requests() == 7);

    server.resetCounters();
    assertThat(server.requests()).isZero();
    assertThat(server.maxConcurrentRequests()).isZero();
  }

  private HttpResponse<byte[]> get(HttpClient client, String target)
      throws IOException, InterruptedException {
    return client.send(request(target), BodyHandlers.ofByteArray());
  }

  private HttpRequest request(String target) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + target))
        .timeout(READ_DEADLINE)
        .build();
  }

  private static byte[] decode(Encoding encoding, byte[] body) throws IOException {
    InputStream in = new ByteArrayInputStream(body);
    try (InputStream decoded =
        encoding == Encoding.GZIP ? new GZIPInputStream(in) : new InflaterInputStream(in)) {
      return decoded.readAllBytes();
    }
  }

  private static byte[] digest(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    try (in) {
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    }
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(US_ASCII);
  }

  /** A response read off the wire; header names are case-insensitive. */
  private record RawResponse(int status, Map<String, String> headers, byte[] body) {}

  /** One connection that sends raw bytes and reads responses exactly as they come. */
  private static final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    RawConnection(SampleServer server) throws IOException {
      URI base = URI.create(server.baseUrl());
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout((int) READ_DEADLINE.toMillis()); // every read has a deadline
      in = new BufferedInputStream(socket.getInputStream());
    }

    RawConnection send(String bytes) throws IOException {
      socket.getOutputStream().write(bytes.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    }

    /** The status line and headers of the next response. */
    RawResponse readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      String end = "\r\n\r\n";
      for (int matched = 0; matched < end.length(); ) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the head was cut short: " + head.toString(ISO_8859_1));
        }
        head.write(b);
        matched = b == end.charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
      }
      String[] lines = head.toString(ISO_8859_1).split("\r\n");
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip());
      }
      return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, new byte[0]);
    }

    /** The next response, with as much body as its Content-Length says. */
    RawResponse read() throws IOException {
      RawResponse head = readHead();
      int length = Integer.parseInt(head.headers().getOrDefault("Content-Length", "0"));
      return new RawResponse(head.status(), head.headers(), in.readNBytes(length));
    }

    /** Everything until the server closes the connection. */
    byte[] readToEnd() throws IOException {
      return in.readAllBytes();
    }

    /** Copies until the server closes the connection, keeping what came before a failure. */
    void copyTo(OutputStream out) throws IOException {
      byte[] buffer = new byte[8192];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, read);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
