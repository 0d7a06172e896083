package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.UrlRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final AvroSerde<UrlRequest> serde = AvroSerde.of(UrlRequest.class);

  @Test
  void roundTripsInSingleObjectEncoding() {
    UrlRequest request = new UrlRequest("job-1", "https://example.org/a.csv", null);

    byte[] bytes = serde.encode(request);

    assertThat(AvroSerde.isSingleObjectEncoded(bytes)).isTrue();
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.decode(bytes)).isEqualTo(request);
  }

  @Test
  void writesWhatAvrosOwnMessageEncoderWritesAndReadsIt() throws Exception {
    UrlRequest request = new UrlRequest("job-1", "https://example.org/a.csv", "csv");
    ByteBuffer encoded = UrlRequest.getEncoder().encode(request);
    byte[] avros = new byte[encoded.remaining()];
    encoded.get(avros);

    assertThat(serde.encode(request)).isEqualTo(avros);
    assertThat(serde.decode(avros)).isEqualTo(request);
  }

  @Test
  void rejectsPlainTextWithAClearReason() {
    byte[] text = "https://example.org/a.csv".getBytes(StandardCharsets.UTF_8);

    assertThat(AvroSerde.isSingleObjectEncoded(text)).isFalse();
    assertThatThrownBy(() -> serde.decode(text))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "not Avro single-object encoding where an Avro UrlRequest was expected");
  }

  @Test
  void rejectsARecordOfAnotherSchema() {
    byte[] manifest =
        AvroSerde.of(JobManifest.class)
            .encode(new JobManifest("job-1", 3, Instant.EPOCH, null, null));

    assertThatThrownBy(() -> serde.decode(manifest))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("an Avro record of another schema");
  }

  @Test
  void aLengthPrefixLargerThanAnyRecordIsRefusedBeforeItIsAllocated() {
    byte[] valid = serde.encode(new UrlRequest("job-1", "http://a/", null));
    byte[] claim = Arrays.copyOf(valid, 15);
    // After the 10-byte header, a string length of 2^30 (zig-zag varint).
    claim[10] = (byte) 0x80;
    claim[11] = (byte) 0x80;
    claim[12] = (byte) 0x80;
    claim[13] = (byte) 0x80;
    claim[14] = (byte) 0x08;

    assertThatThrownBy(() -> serde.decode(claim))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("String length 1073741824 exceeds maximum allowed");
  }
}
