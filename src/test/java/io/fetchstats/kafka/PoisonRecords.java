package io.fetchstats.kafka;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.UrlRequest;
import io.fetchstats.config.FetchSettings;
import io.fetchstats.domain.Keys;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records no stage of the pipeline writes, for each topic a stage reads: what a hostile or mistaken
 * producer may send. Every one must end in dead-letters, none may stop a stage.
 */
public final class PoisonRecords {
  private static final Instant SUBMITTED = Instant.parse("2026-12-03T10:00:00Z");
  private static final String JOB = "poison-job";
  private static final String URL = "http://poison.invalid/a.txt";

  /** A record, and what is wrong with it. */
  public record Poison(String what, byte[] key, byte[] value) {
    @Override
    public String toString() {
      return what;
    }
  }

  private PoisonRecords() {}

  public static List<Poison> chunks() {
    Chunk valid = chunk(0, "TEXT", 16);
    byte[] key = utf8(Keys.chunk(JOB, URL, "1:0:0", 0));
    List<Poison> poison = common(key, encode(valid), encode(manifest(JOB, 1)));
    poison.add(
        new Poison(
            "a key of another chunk", utf8(Keys.chunk(JOB, URL, "1:0:0", 1)), encode(valid)));
    poison.add(
        new Poison(
            "a negative seq",
            utf8(Keys.chunk(JOB, URL, "1:0:0", -1)),
            encode(chunk(-1, "TEXT", 4))));
    poison.add(new Poison("an unknown format", key, encode(chunk(0, "XML", 4))));
    poison.add(
        new Poison(
            "data over the largest chunk size",
            key,
            encode(chunk(0, "TEXT", FetchSettings.MAX_CHUNK_BYTES + 1))));
    Chunk badJob = chunk(0, "TEXT", 4);
    badJob.setJobId("a|b");
    poison.add(
        new Poison("an invalid job id", utf8(Keys.chunk("a|b", URL, "1:0:0", 0)), encode(badJob)));
    return poison;
  }

  public static List<Poison> fetches() {
    FetchOutcome valid = outcome(JOB, 0);
    byte[] key = utf8(Keys.request(JOB, URL, "1:0:0"));
    List<Poison> poison = common(key, encode(valid), encode(chunk(0, "TEXT", 4)));
    poison.add(
        new Poison(
            "a key of another job", utf8(Keys.request("other-job", URL, "1:0:0")), encode(valid)));
    poison.add(new Poison("a negative chunk count", key, encode(outcome(JOB, -3))));
    return poison;
  }

  public static List<Poison> jobs() {
    List<Poison> poison =
        common(utf8(JOB), encode(manifest(JOB, 1)), encode(new UrlRequest(JOB, URL, null)));
    poison.add(new Poison("a key of another job", utf8("other-job"), encode(manifest(JOB, 1))));
    poison.add(new Poison("a negative URL count", utf8(JOB), encode(manifest(JOB, -1))));
    poison.add(new Poison("an invalid job id", utf8("a b"), encode(manifest("a b", 1))));
    return poison;
  }

  /**
   * Records of the urls topic: it also takes plain UTF-8 text and records without a key (job
   * "default"), so neither of those is poison there.
   */
  public static List<Poison> urls() {
    byte[] valid = encode(new UrlRequest(JOB, URL, null));
    List<Poison> poison = new ArrayList<>();
    poison.add(new Poison("no value (a tombstone)", utf8(JOB), null));
    poison.add(new Poison("an empty value", utf8(JOB), new byte[0]));
    poison.add(new Poison("binary garbage", utf8(JOB), garbage()));
    poison.add(new Poison("truncated Avro", utf8(JOB), Arrays.copyOf(valid, valid.length - 3)));
    poison.add(new Poison("an unknown schema fingerprint", utf8(JOB), wrongFingerprint(valid)));
    poison.add(new Poison("a record of another schema", utf8(JOB), encode(manifest(JOB, 1))));
    poison.add(new Poison("a length that claims a GiB", utf8(JOB), hugeLength(valid)));
    poison.add(new Poison("a key of another job", utf8("other-job"), valid));
    poison.add(
        new Poison("an invalid job id as key", utf8("a|b"), utf8("http://poison.invalid/\n")));
    poison.add(
        new Poison(
            "a URL longer than the limit",
            utf8(JOB),
            encode(new UrlRequest(JOB, "http://x/" + "a".repeat(Keys.MAX_URL_LENGTH), null))));
    poison.add(new Poison("an unknown format", utf8(JOB), encode(new UrlRequest(JOB, URL, "xml"))));
    return poison;
  }

  /** What is poison on every topic of Avro records keyed {@code key}. */
  private static List<Poison> common(byte[] key, byte[] valid, byte[] otherSchema) {
    List<Poison> poison = new ArrayList<>();
    poison.add(new Poison("no value (a tombstone)", key, null));
    poison.add(new Poison("no key", null, valid));
    poison.add(new Poison("an empty value", key, new byte[0]));
    poison.add(new Poison("binary garbage", key, garbage()));
    poison.add(new Poison("text", key, utf8("hello, world\n")));
    poison.add(new Poison("truncated Avro", key, Arrays.copyOf(valid, valid.length - 3)));
    poison.add(new Poison("an unknown schema fingerprint", key, wrongFingerprint(valid)));
    poison.add(new Poison("a record of another schema", key, otherSchema));
    poison.add(new Poison("a length that claims a GiB", key, hugeLength(valid)));
    return poison;
  }

  private static byte[] garbage() {
    byte[] bytes = new byte[512];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 131 + 7);
    }
    return bytes;
  }

  private static byte[] wrongFingerprint(byte[] valid) {
    byte[] bytes = valid.clone();
    for (int i = 2; i < 10; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    return bytes;
  }

  /**
   * The single-object header of a valid record followed by a string length of 2^30: Avro would
   * allocate that before finding the record ends.
   */
  private static byte[] hugeLength(byte[] valid) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, 10);
    long zigzag = (1L << 30) << 1;
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
    return out.toByteArray();
  }

  private static Chunk chunk(int seq, String format, int bytes) {
    byte[] data = new byte[bytes];
    Arrays.fill(data, (byte) '7');
    return new Chunk(JOB, URL, "1:0:0", seq, format, null, ByteBuffer.wrap(data), null);
  }

  private static FetchOutcome outcome(String jobId, int chunks) {
    return FetchOutcome.newBuilder()
        .setJobId(jobId)
        .setUrl(URL)
        .setRequestId("1:0:0")
        .setOk(true)
        .setStatus(200)
        .setFormat("TEXT")
        .setBytes(10)
        .setChunkCount(chunks)
        .setLatencyMs(1)
        .setAttempts(1)
        .setFetchedAt(SUBMITTED)
        .build();
  }

  private static JobManifest manifest(String jobId, int urls) {
    return new JobManifest(jobId, urls, SUBMITTED, null, null);
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(T record) {
    return AvroSerde.of((Class<T>) record.getClass()).encode(record);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
