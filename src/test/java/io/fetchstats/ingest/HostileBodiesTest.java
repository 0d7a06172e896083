package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import io.fetchstats.samples.SampleServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bodies and responses a hostile or broken server sends, fetched by the real client from a real
 * server on loopback: each ends in the failure class a person would name, with a reason.
 */
@Timeout(60)
class HostileBodiesTest {
  private static final String CSV = "name,price\ncafé,1.5\nthé,2.25\n";
  private static SampleServer server;

  private final List<byte[]> chunks = new ArrayList<>();
  private final List<String> headers = new ArrayList<>();
  private final Chunker.Sink sink =
      (seq, format, header, data) -> {
        chunks.add(data);
        headers.add(header);
      };

  @BeforeAll
  static void startServer() throws IOException {
    Map<String, SampleServer.Resource> files = new HashMap<>();
    byte[] random = new byte[1 << 20];
    new SplittableRandom(11).nextBytes(random);
    files.put("/random.bin", resource("application/octet-stream", random));
    files.put("/random.csv", resource("text/csv", random));
    files.put("/random.json", resource("application/json", random));
    byte[] noNul = random.clone();
    for (int i = 0; i < noNul.length; i++) {
      noNul[i] |= (byte) 0x80; // high bytes only: no NUL, and almost none valid UTF-8
    }
    files.put("/high-bytes.txt", resource("text/plain", noNul));
    files.put("/nul-in-text.txt", resource("text/plain", utf8("1 2 3\n4 5\0 6\n")));
    files.put("/utf16-bom.csv", resource("text/csv", withBom("UTF-16LE", 0xFF, 0xFE)));
    files.put("/utf16-be-bom.csv", resource("text/csv", withBom("UTF-16BE", 0xFE, 0xFF)));
    files.put("/utf32-bom.csv", resource("text/csv", withBom("UTF-32LE", 0xFF, 0xFE, 0x00, 0x00)));
    files.put(
        "/utf16-declared.csv",
        resource("text/csv; charset=utf-16", CSV.getBytes(StandardCharsets.UTF_16BE)));
    files.put(
        "/latin1.csv",
        resource("text/csv; charset=ISO-8859-1", CSV.getBytes(StandardCharsets.ISO_8859_1)));
    files.put(
        "/windows1252.csv",
        resource(
            "text/csv; charset=\"windows-1252\"",
            "price €\n12\n".getBytes(Charset.forName("windows-1252"))));
    files.put(
        "/latin1-undeclared.csv", resource("text/csv", CSV.getBytes(StandardCharsets.ISO_8859_1)));
    files.put("/unknown-charset.csv", resource("text/csv; charset=klingon-8", utf8(CSV)));
    files.put(
        "/zeros-bomb.txt",
        new SampleServer.Resource(
            200, "text/plain", gzippedZeros(256 << 20), Map.of("Content-Encoding", "gzip")));
    server = SampleServer.start(files);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void randomBytesAreNotTextWhateverTheirType() {
    for (String path : List.of("/random.bin", "/random.csv", "/random.json")) {
      FetchResult result = fetch(path);

      assertThat(result.failure()).as(path).isEqualTo(FailureClass.NOT_TEXT);
      assertThat(result.error()).as(path).startsWith("binary body: a NUL byte at offset ");
    }
  }

  @Test
  void aNulByteIsNamedWithItsOffset() {
    FetchResult result = fetch("/nul-in-text.txt");

    assertThat(result.failure()).isEqualTo(FailureClass.NOT_TEXT);
    assertThat(result.error()).isEqualTo("binary body: a NUL byte at offset 9");
  }

  @Test
  void bytesThatAreMostlyNotUtf8AreNotText() {
    FetchResult result = fetch("/high-bytes.txt");

    assertThat(result.failure()).isEqualTo(FailureClass.NOT_TEXT);
    assertThat(result.error()).contains("of its first 65536 bytes are not UTF-8 text");
  }

  @Test
  void utf16And32TextIsReadByItsByteOrderMarkOrDeclaredCharset() {
    for (String path :
        List.of("/utf16-bom.csv", "/utf16-be-bom.csv", "/utf32-bom.csv", "/utf16-declared.csv")) {
      chunks.clear();
      headers.clear();

      FetchResult result = fetch(path);

      assertThat(result.ok()).as("%s: %s", path, result.error()).isTrue();
      assertThat(result.format()).isEqualTo(Format.CSV);
      assertThat(headers).as(path).containsExactly("name,price");
      assertThat(new String(chunks.get(0), StandardCharsets.UTF_8)).as(path).isEqualTo(CSV);
    }
  }

  @Test
  void aDeclaredCharsetIsDecodedToUtf8() {
    FetchResult latin1 = fetch("/latin1.csv");
    assertThat(latin1.ok()).isTrue();
    assertThat(new String(chunks.get(0), StandardCharsets.UTF_8)).isEqualTo(CSV);

    chunks.clear();
    FetchResult windows = fetch("/windows1252.csv");
    assertThat(windows.ok()).isTrue();
    assertThat(new String(chunks.get(0), StandardCharsets.UTF_8)).isEqualTo("price €\n12\n");
  }

  @Test
  void latin1TextServedWithoutACharsetIsStillText() {
    FetchResult result = fetch("/latin1-undeclared.csv");

    assertThat(result.ok()).as(result.error()).isTrue();
    assertThat(chunks.get(0)).isEqualTo(CSV.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void anUnknownCharsetIsADecodeErrorNamingIt() {
    FetchResult result = fetch("/unknown-charset.csv");

    assertThat(result.failure()).isEqualTo(FailureClass.DECODE_ERROR);
    assertThat(result.error()).contains("unknown charset 'klingon-8'");
    assertThat(chunks).isEmpty();
  }

  @Test
  void aBombOfZerosIsNamedADecompressionBomb() {
    FetchResult result = fetch("/zeros-bomb.txt");

    assertThat(result.failure()).isEqualTo(FailureClass.TOO_LARGE);
    assertThat(result.error()).contains("a decompression bomb");
  }

  @Test
  void headersOverTheLimitAndAMalformedStatusLineAreHttpProtocolFailures() throws IOException {
    String oneHugeHeader = "HTTP/1.1 200 OK\r\nX-Huge: " + "h".repeat(20 << 20) + "\r\n\r\n";
    String manyHeaders = "HTTP/1.1 200 OK\r\n" + "X-Many: 1234567890\r\n".repeat(200_000) + "\r\n";
    String badStatus = "HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\n42";

    FetchResult huge = fetchRaw(oneHugeHeader);
    FetchResult many = fetchRaw(manyHeaders);
    FetchResult status = fetchRaw(badStatus);

    assertThat(huge.failure()).as(huge.error()).isEqualTo(FailureClass.HTTP_PROTOCOL);
    assertThat(huge.error()).isEqualTo("response headers over 262144 bytes");
    assertThat(many.failure()).as(many.error()).isEqualTo(FailureClass.HTTP_PROTOCOL);
    assertThat(many.error()).isEqualTo("response headers over 262144 bytes");
    assertThat(status.failure()).as(status.error()).isEqualTo(FailureClass.HTTP_PROTOCOL);
    assertThat(status.error()).contains("two hundred");
  }

  @Test
  void theFormatIsSniffedTheSameHoweverTheBodyArrives() throws IOException {
    // NDJSON served as plain text, a line an HTTP chunk: the first read holds one line only.
    String lines = "{\"a\":1}\n{\"a\":2}\n";
    String chunked =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "8\r\n{\"a\":1}\n\r\n"
            + "8\r\n{\"a\":2}\n\r\n"
            + "0\r\n\r\n";

    FetchResult result = fetchRaw(chunked);

    assertThat(result.ok()).as(result.error()).isTrue();
    assertThat(result.format()).isEqualTo(Format.NDJSON);
    assertThat(chunks).hasSize(1);
    assertThat(new String(chunks.get(0), StandardCharsets.UTF_8)).isEqualTo(lines);
  }

  private FetchResult fetch(String path) {
    try (HttpFetcher fetcher =
        new HttpFetcher(
            FetchStatsConfig.builder()
                .dataDir(Path.of("unused"))
                .fetch(fetch -> fetch.allowPrivateNetworks(true).chunkBytes(64 * 1024))
                .build())) {
      return fetcher.fetch(server.baseUrl() + path, null, sink);
    }
  }

  /**
   * Fetches from a server that reads one request, answers it with {@code response} and hangs up
   * once the client has (a server that hangs up on an unread request resets the connection).
   */
  private FetchResult fetchRaw(String response) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        HttpFetcher fetcher =
            new HttpFetcher(
                FetchStatsConfig.builder()
                    .dataDir(Path.of("unused"))
                    .fetch(fetch -> fetch.allowPrivateNetworks(true).maxAttempts(1))
                    .build())) {
      Thread answer =
          new Thread(
              () -> {
                try (Socket socket = listener.accept()) {
                  InputStream in = socket.getInputStream();
                  for (int ends = 0, b; ends < 4 && (b = in.read()) >= 0; ) {
                    ends = (b == '\r' || b == '\n') ? ends + 1 : 0;
                  }
                  OutputStream out = socket.getOutputStream();
                  out.write(response.getBytes(StandardCharsets.US_ASCII));
                  socket.shutdownOutput();
                  in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                  // The client hung up once it had read enough.
                }
              });
      answer.start();
      return fetcher.fetch("http://127.0.0.1:" + listener.getLocalPort() + "/", null, sink);
    }
  }

  private static SampleServer.Resource resource(String contentType, byte[] body) {
    return new SampleServer.Resource(contentType, body);
  }

  private static byte[] withBom(String charset, int... bom) {
    byte[] text = CSV.getBytes(Charset.forName(charset));
    byte[] body = new byte[bom.length + text.length];
    for (int i = 0; i < bom.length; i++) {
      body[i] = (byte) bom[i];
    }
    System.arraycopy(text, 0, body, bom.length, text.length);
    return body;
  }

  private static byte[] gzippedZeros(int bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 16];
      for (int i = 0; i < bytes; i += zeros.length) {
        gzip.write(zeros);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
