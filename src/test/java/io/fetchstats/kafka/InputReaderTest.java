package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.JobManifest;
import io.fetchstats.domain.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class InputReaderTest {
  private static final InputReader<JobManifest> MANIFESTS =
      new InputReader<>(
          JobManifest.class,
          JobManifest::getJobId,
          manifest -> manifest.getUrlCount() < 0 ? "a negative count" : null);
  private static final byte[] VALID =
      AvroSerde.of(JobManifest.class)
          .encode(new JobManifest("job-1", 2, Instant.EPOCH, null, null));

  @Test
  void aRecordKeyedAsItsWriterKeysItIsRead() {
    InputReader.Read<JobManifest> read = MANIFESTS.read(utf8("job-1"), VALID);

    assertThat(read.ok()).isTrue();
    assertThat(read.key()).isEqualTo("job-1");
    assertThat(read.value().getUrlCount()).isEqualTo(2);
  }

  @Test
  void eachWayARecordCanBeWrongIsNamed() {
    assertRefused(MANIFESTS.read(utf8("job-1"), null), InvalidRecordException.class, "tombstone");
    assertRefused(
        MANIFESTS.read(null, VALID),
        InvalidRecordException.class,
        "no key: a JobManifest is keyed");
    assertRefused(
        MANIFESTS.read(utf8("job-2"), VALID),
        InvalidRecordException.class,
        "the key 'job-2' does not match the JobManifest's 'job-1'");
    assertRefused(
        MANIFESTS.read(
            utf8("job-1"),
            AvroSerde.of(JobManifest.class)
                .encode(new JobManifest("job-1", -1, Instant.EPOCH, null, null))),
        InvalidRecordException.class,
        "an invalid JobManifest: a negative count");
    assertRefused(
        MANIFESTS.read(utf8("job-1"), new byte[0]), SerializationException.class, "an empty value");
    assertRefused(
        MANIFESTS.read(utf8("job-1"), new byte[KafkaClients.MAX_RECORD_BYTES + 1]),
        InvalidRecordException.class,
        "over the largest record the pipeline writes");
  }

  @Test
  void aKeyMayBeOptional() {
    assertThat(MANIFESTS.keyOptional().read(null, VALID).ok()).isTrue();
    assertThat(MANIFESTS.keyOptional().read(utf8("job-2"), VALID).ok()).isFalse();
  }

  @Test
  void messagesShowLongKeysShortened() {
    String longKey = "k".repeat(10_000);

    InputReader.Read<JobManifest> read = MANIFESTS.read(utf8(longKey), VALID);

    assertThat(read.reason()).contains(Keys.abbreviate(longKey)).hasSizeLessThan(500);
  }

  private static void assertRefused(
      InputReader.Read<JobManifest> read, Class<? extends Exception> exception, String reason) {
    assertThat(read.ok()).isFalse();
    assertThat(read.exception()).isEqualTo(exception.getName());
    assertThat(read.reason()).contains(reason);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
