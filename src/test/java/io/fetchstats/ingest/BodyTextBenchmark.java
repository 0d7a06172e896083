package io.fetchstats.ingest;

import io.fetchstats.samples.GeneratedBody;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading a body as text costs on the fetch path, per 8 MiB of the loopback server's generated
 * CSV in reads of 64 KiB, as HttpFetcher reads: UTF-8 checked in place, ISO-8859-1 and UTF-16
 * decoded to UTF-8; beside it the SHA-256 the same path computes of every body. MB/s = ops/s x 8.39
 * (of the body as served; UTF-16 is twice the bytes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BodyTextBenchmark {
  private static final int READ = 64 * 1024;

  @Param({"UTF-8", "ISO-8859-1", "UTF-16LE"})
  public String charset;

  /** A small body shows what each body costs, a large one the cost per byte. */
  @Param({"1024", "8388608"})
  public int bytes;

  private byte[] body;
  private String contentType;

  @Setup
  public void generate() {
    String csv =
        new String(
            GeneratedBody.of(GeneratedBody.Kind.CSV, 1).bytes(bytes), StandardCharsets.UTF_8);
    body = csv.getBytes(Charset.forName(charset));
    contentType = "text/csv; charset=" + charset;
  }

  @Benchmark
  public long text() throws BodyText.UnknownCharsetException {
    long[] written = new long[1];
    BodyText text = BodyText.of(contentType, (data, offset, length) -> written[0] += length);
    for (int i = 0; i < body.length; i += READ) {
      text.write(body, i, Math.min(READ, body.length - i));
    }
    text.finish();
    return written[0];
  }

  /** The hash every body gets on the same path, for scale. */
  @Benchmark
  public byte[] sha256() throws NoSuchAlgorithmException {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < body.length; i += READ) {
      sha256.update(body, i, Math.min(READ, body.length - i));
    }
    return sha256.digest();
  }
}
