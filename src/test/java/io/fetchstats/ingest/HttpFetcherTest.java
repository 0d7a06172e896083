package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.ParseContract;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real HTTP client against a real server on loopback. */
class HttpFetcherTest {
  private static final String CSV = "x,y\n1,2\n3,4\n5,6\n";

  /** 1 MiB of log lines, served as JSON: printable, and no JSON past its first number. */
  private static final byte[] NOT_JSON =
      "2026-12-03 12:00:00 INFO request served in 12 ms\n"
          .repeat((1 << 20) / 49)
          .getBytes(StandardCharsets.UTF_8);

  private static SampleServer server;

  private final List<String> chunks = new ArrayList<>();
  private final Chunker.Sink sink =
      (seq, format, header, data) -> chunks.add(new String(data, StandardCharsets.UTF_8));

  @BeforeAll
  static void startServer() {
    server =
        SampleServer.start(
            Map.of(
                "/data.csv",
                new SampleServer.Resource("text/csv", CSV.getBytes(StandardCharsets.UTF_8)),
                "/big.txt",
                new SampleServer.Resource(
                    "text/plain", "1234567890\n".repeat(200).getBytes(StandardCharsets.UTF_8)),
                "/to-data",
                SampleServer.Resource.redirect("/data.csv"),
                "/export",
                new SampleServer.Resource(
                    "text/plain", "[{\"x\": 1}, {\"x\": 2}]".getBytes(StandardCharsets.UTF_8)),
                "/to-inside",
                SampleServer.Resource.redirect("http://127.0.0.2:1/secret"),
                "/to-inside-in-octal",
                SampleServer.Resource.redirect("http://0177.0.0.2:1/secret"),
                "/to-invalid-host",
                SampleServer.Resource.redirect("http://1.2.3.256/secret"),
                "/not-json",
                new SampleServer.Resource("application/json", NOT_JSON)));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static HttpFetcher fetcher(boolean allowPrivate, int chunkBytes, long maxBody) {
    return new HttpFetcher(
        FetchStatsConfig.builder()
            .dataDir(Path.of("unused"))
            .fetch(
                fetch ->
                    fetch
                        .allowPrivateNetworks(allowPrivate)
                        .chunkBytes(chunkBytes)
                        .maxBodyBytes(maxBody))
            .build());
  }

  @Test
  void fetchesChunksAndHashesABody() throws NoSuchAlgorithmException {
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/data.csv", null, sink);

      assertThat(result.ok()).isTrue();
      assertThat(result.status()).isEqualTo(200);
      assertThat(result.format()).isEqualTo(Format.CSV);
      assertThat(result.bytes()).isEqualTo(CSV.length());
      assertThat(result.chunks()).isEqualTo(1);
      String expectedSha =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(CSV.getBytes(StandardCharsets.UTF_8)));
      assertThat(result.sha256()).isEqualTo(expectedSha);
      assertThat(chunks).containsExactly(CSV);
    }
  }

  @Test
  void aFailureToPublishIsThrownNotBlamedOnTheUrl() {
    Chunker.Sink failing =
        (seq, format, header, data) -> {
          throw new org.apache.kafka.common.KafkaException("broker gone");
        };
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      assertThatThrownBy(() -> fetcher.fetch(server.baseUrl() + "/data.csv", null, failing))
          .isInstanceOf(PublishException.class)
          .hasMessageContaining("broker gone");
    }
  }

  @Test
  void aServerTricklingItsHeadersTimesOutAtTheRequestTimeout() throws Exception {
    try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        HttpFetcher fetcher =
            new HttpFetcher(
                FetchStatsConfig.builder()
                    .dataDir(Path.of("unused"))
                    .fetch(
                        fetch ->
                            fetch.allowPrivateNetworks(true).requestTimeout(Duration.ofMillis(800)))
                    .build())) {
      CountDownLatch testOver = new CountDownLatch(1);
      Thread server = new Thread(() -> trickleHeaders(trickler, testOver));
      server.start();

      FetchResult result =
          fetcher.fetch("http://127.0.0.1:" + trickler.getLocalPort() + "/slow", null, sink);
      testOver.countDown();

      assertThat(result.failure()).isEqualTo(FailureClass.TIMEOUT);
      assertThat(result.error()).contains("no complete response within 800 ms");
      server.join(Duration.ofSeconds(10).toMillis());
    }
  }

  /**
   * A slow server: a byte of headers every 50 ms (paced by waiting for the end of the test, with
   * that as the deadline) until the test is over, the client hangs up, or 400 bytes are sent.
   */
  private static void trickleHeaders(ServerSocket serverSocket, CountDownLatch testOver) {
    try (Socket socket = serverSocket.accept()) {
      OutputStream out = socket.getOutputStream();
      byte[] headers =
          ("HTTP/1.1 200 OK\r\nX-Slow: " + "x".repeat(400)).getBytes(StandardCharsets.US_ASCII);
      for (byte b : headers) {
        out.write(b);
        out.flush();
        if (testOver.await(50, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client hung up: the test is over.
    }
  }

  @Test
  void cancelAllEndsAHangingFetchAtOnceAndAnyBegunAfter() throws Exception {
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (SampleServer hanging = SampleServer.start(Map.of());
        HttpFetcher fetcher =
            new HttpFetcher(
                FetchStatsConfig.builder()
                    .dataDir(Path.of("unused"))
                    .fetch(
                        fetch ->
                            fetch.allowPrivateNetworks(true).requestTimeout(Duration.ofMinutes(5)))
                    .build())) {
      String url = hanging.baseUrl() + "/gen/text?bytes=100&fault=hang";
      Future<FetchResult> inFlight = caller.submit(() -> fetcher.fetch(url, null, sink));
      await().atMost(Duration.ofSeconds(30)).until(() -> hanging.maxConcurrentRequests() == 1);

      fetcher.cancelAll();

      assertThat(inFlight.get(30, TimeUnit.SECONDS).ok()).isFalse();
      // The client hung up: the server counts a hanging request once its connection closes.
      await().atMost(Duration.ofSeconds(10)).until(() -> hanging.requests() == 1);
      assertThat(fetcher.fetch(url, null, sink).ok()).isFalse();
      assertThat(chunks).isEmpty();
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void aBodyOverTheLimitFailsAsTooLarge() {
    try (HttpFetcher fetcher = fetcher(true, 1024, 1000)) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/big.txt", null, sink);

      assertThat(result.failure()).isEqualTo(FailureClass.TOO_LARGE);
      assertThat(result.error()).contains("exceeds the limit of 1000 bytes");
    }
  }

  @Test
  void aJsonBodyThatIsNotJsonFailsAsAParseErrorAtItsByte() {
    try (HttpFetcher fetcher = fetcher(true, 1024, 2 << 20)) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/not-json", null, sink);

      assertThat(result.failure()).isEqualTo(FailureClass.PARSE_ERROR);
      // What the processor's parser says of the whole body, not that a record is too long.
      assertThat(result.error())
          .isEqualTo("broken JSON at byte 4: unexpected '-' after the JSON value")
          .isEqualTo(
              ParseContract.parse(Format.JSON, NOT_JSON, 0, NOT_JSON.length, null, true)
                  .report()
                  .error());
      assertThat(chunks).isEmpty();
    }
  }

  @Test
  void badUrlsAndUnreachableServersAreExplained() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      assertThat(fetcher.fetch("not a url", null, sink).failure())
          .isEqualTo(FailureClass.INVALID_URL);
      assertThat(fetcher.fetch("http://", null, sink).failure())
          .isEqualTo(FailureClass.INVALID_URL);
      assertThat(fetcher.fetch("ftp://example.org/a.csv", null, sink).failure())
          .isEqualTo(FailureClass.UNSUPPORTED_SCHEME);
      assertThat(fetcher.fetch("file:///etc/passwd", null, sink).failure())
          .isEqualTo(FailureClass.UNSUPPORTED_SCHEME);
      assertThat(fetcher.fetch("http://127.0.0.1:" + closedPort + "/x", null, sink).failure())
          .isEqualTo(FailureClass.CONNECT);
      assertThat(fetcher.fetch("http://no-such-host.invalid/x", null, sink).failure())
          .isEqualTo(FailureClass.DNS);
      assertThat(fetcher.fetch("http://1.2.3.256/x", null, sink).failure())
          .isEqualTo(FailureClass.INVALID_URL);
      FetchResult missing = fetcher.fetch(server.baseUrl() + "/missing.csv", null, sink);
      assertThat(missing.failure()).isEqualTo(FailureClass.HTTP_STATUS);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.error()).isEqualTo("HTTP 404 Not Found");
    }
    assertThat(chunks).isEmpty();
  }

  @Test
  void urlsThatBrowsersAcceptAreFetched() {
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      for (String url :
          List.of(
              server.baseUrl() + "/data.csv?q=x y",
              "  HTTP" + server.baseUrl().substring(4) + "/data.csv ",
              server.baseUrl() + "/to-data")) {
        FetchResult result = fetcher.fetch(url, null, sink);
        assertThat(result.ok()).as("%s: %s", url, result.error()).isTrue();
      }
      // java.net.URI refuses '|'; it is sent (this test server then answers 400 to it).
      assertThat(fetcher.fetch(server.baseUrl() + "/data.csv?filter=a|b", null, sink).status())
          .isNotNull();
    }
  }

  @Test
  void speaksHttp2OverTlsAndHttp1OtherwiseWithTheGuardOnBoth() throws IOException {
    HeldCertificate certificate =
        new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .build();
    HandshakeCertificates serverSide =
        new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    HandshakeCertificates clientSide =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(serverSide.sslSocketFactory());
      tls.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
      tls.enqueue(
          new MockResponse.Builder().setHeader("Content-Type", "text/csv").body(CSV).build());
      tls.start(InetAddress.getByName("127.0.0.1"), 0);
      String url = tls.url("/data.csv").toString();
      FetchStatsConfig config = FetchStatsConfig.builder().dataDir(Path.of("unused")).build();
      UnaryOperator<OkHttpClient.Builder> trusting =
          builder ->
              builder.sslSocketFactory(clientSide.sslSocketFactory(), clientSide.trustManager());

      try (HttpFetcher fetcher = new HttpFetcher(config, AddressPolicy.of(true), trusting)) {
        FetchResult result = fetcher.fetch(url, null, sink);

        assertThat(result.ok()).as(result.error()).isTrue();
        assertThat(result.protocol()).isEqualTo("h2");
        assertThat(result.bytes()).isEqualTo(CSV.length());
        assertThat(result.format()).isEqualTo(Format.CSV);
      }
      try (HttpFetcher fetcher = new HttpFetcher(config, AddressPolicy.of(false), trusting)) {
        assertThat(fetcher.fetch(url, null, sink).failure())
            .isEqualTo(FailureClass.BLOCKED_ADDRESS);
      }
    }
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      assertThat(fetcher.fetch(server.baseUrl() + "/data.csv", null, sink).protocol())
          .isEqualTo("http/1.1");
    }
  }

  @Test
  void anUntrustedCertificateIsATlsFailure() throws IOException {
    HeldCertificate selfSigned =
        new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(
          new HandshakeCertificates.Builder()
              .heldCertificate(selfSigned)
              .build()
              .sslSocketFactory());
      tls.start(InetAddress.getByName("127.0.0.1"), 0);
      try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
        FetchResult result = fetcher.fetch(tls.url("/data.csv").toString(), null, sink);

        assertThat(result.failure()).isEqualTo(FailureClass.TLS);
        assertThat(result.transientFailure()).isFalse();
        assertThat(result.error()).contains("SSLHandshakeException");
      }
    }
  }

  @Test
  void aFormatGivenWithTheUrlWinsOverTheResponse() {
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/data.csv", Format.TEXT, sink);

      assertThat(result.format()).isEqualTo(Format.TEXT);
      assertThat(fetcher.fetch(server.baseUrl() + "/export", Format.TEXT, sink).format())
          .isEqualTo(Format.TEXT);
    }
  }

  @Test
  void aBodyWhoseTypeSaysNothingIsSniffed() {
    try (HttpFetcher fetcher = fetcher(true, 1024, 1 << 20)) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/export", null, sink);

      assertThat(result.ok()).isTrue();
      assertThat(result.format()).isEqualTo(Format.JSON);
      assertThat(chunks).containsExactly("[{\"x\": 1}, {\"x\": 2}]");
    }
  }

  /**
   * A fetcher that refuses only 127.0.0.2, so that the first hop of a redirect (127.0.0.1) goes
   * through.
   */
  private static HttpFetcher refusingOnly127002() {
    return new HttpFetcher(
        FetchStatsConfig.builder().dataDir(Path.of("unused")).build(),
        address ->
            address.getHostAddress().equals("127.0.0.2")
                ? Optional.of("127.0.0.2 is off limits")
                : Optional.empty(),
        UnaryOperator.identity());
  }

  @Test
  void aRedirectToARefusedAddressIsBlocked() {
    try (HttpFetcher fetcher = refusingOnly127002()) {
      FetchResult result = fetcher.fetch(server.baseUrl() + "/to-inside", null, sink);

      assertThat(result.failure()).isEqualTo(FailureClass.BLOCKED_ADDRESS);
      assertThat(result.error()).contains("127.0.0.2 is off limits");
    }
  }

  @Test
  void aRedirectToAnIpv4HostWrittenAnotherWayIsReadAsBrowsersReadIt() {
    // 0177.0.0.2 is 127.0.0.2 to a browser, 177.0.0.2 to the JDK.
    try (HttpFetcher fetcher = refusingOnly127002()) {
      FetchResult octal = fetcher.fetch(server.baseUrl() + "/to-inside-in-octal", null, sink);
      FetchResult invalid = fetcher.fetch(server.baseUrl() + "/to-invalid-host", null, sink);

      assertThat(octal.failure()).isEqualTo(FailureClass.BLOCKED_ADDRESS);
      assertThat(octal.error()).contains("127.0.0.2 is off limits");
      assertThat(invalid.failure()).isEqualTo(FailureClass.INVALID_URL);
      assertThat(invalid.error())
          .startsWith("redirected to invalid URL 'http://1.2.3.256/secret'")
          .contains("not an IPv4 address");
    }
  }

  @Test
  void ipv4HostsAreReadAsBrowsersReadThemRefusedByDefaultAndFetchedWhenAllowed() {
    int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
    try (HttpFetcher strict = fetcher(false, 1024, 1 << 20);
        HttpFetcher open = fetcher(true, 1024, 1 << 20)) {
      for (String host :
          List.of("0177.0.0.1", "0x7f000001", "0x7f.1", "017700000001", "2130706433", "127.1")) {
        String url = "http://" + host + ":" + port + "/data.csv";

        FetchResult refused = strict.fetch(url, null, sink);
        FetchResult fetched = open.fetch(url, null, sink);

        assertThat(refused.failure()).as(url).isEqualTo(FailureClass.BLOCKED_ADDRESS);
        assertThat(refused.error()).as(url).contains("127.0.0.1 is in 127.0.0.0/8 (Loopback)");
        assertThat(fetched.ok()).as("%s: %s", url, fetched.error()).isTrue();
        assertThat(fetched.bytes()).as(url).isEqualTo(CSV.length());
      }
    }
  }

  @Test
  void loopbackIsRefusedByDefaultWhetherNamedOrLiteral() {
    int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
    try (HttpFetcher fetcher = fetcher(false, 1024, 1 << 20)) {
      for (String url :
          List.of(
              "http://127.0.0.1:" + port + "/data.csv",
              "http://localhost:" + port + "/data.csv",
              "http://[::1]:" + port + "/data.csv",
              "http://0.0.0.0:" + port + "/data.csv")) {
        FetchResult result = fetcher.fetch(url, null, sink);

        assertThat(result.failure()).as(url).isEqualTo(FailureClass.BLOCKED_ADDRESS);
        assertThat(result.error()).as(url).contains("private networks is not allowed");
      }
    }
    assertThat(chunks).isEmpty();
  }
}
