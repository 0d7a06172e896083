package io.fetchstats.ingest;

import io.fetchstats.avro.UrlRequest;
import io.fetchstats.config.UrlList;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.parse.Format;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the requests out of one record of the urls topic: an Avro {@link UrlRequest}, or plain
 * UTF-8 text, a {@link UrlList}, whose job id is the record key.
 */
final class UrlRequests {
  /** Job id of plain-text requests that came without a key. */
  static final String DEFAULT_JOB = "default";

  private static final AvroSerde<UrlRequest> SERDE = AvroSerde.of(UrlRequest.class);

  /**
   * One URL to fetch; {@code requestId} is unique per request and the same on every replay; {@code
   * format} is the submitter's, or null to tell it from the response.
   */
  record Request(String jobId, String url, String requestId, int line, Format format) {}

  /** The requests of a record, or why it has none that can be read. */
  record Parsed(List<Request> requests, String error) {}

  private UrlRequests() {}

  static Parsed parse(ConsumerRecord<byte[], byte[]> record) {
    String idPrefix = record.partition() + ":" + record.offset() + ":";
    byte[] value = record.value();
    if (value == null) {
      return new Parsed(List.of(), "empty record: expected an Avro UrlRequest or UTF-8 text");
    }
    if (AvroSerde.isSingleObjectEncoded(value)) {
      try {
        UrlRequest request = SERDE.decode(value);
        Format format = request.getFormat() == null ? null : Format.named(request.getFormat());
        return new Parsed(
            List.of(new Request(request.getJobId(), request.getUrl(), idPrefix + 0, 0, format)),
            null);
      } catch (SerializationException | IllegalArgumentException e) {
        return new Parsed(List.of(), e.getMessage());
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
    } catch (CharacterCodingException e) {
      return new Parsed(List.of(), "neither an Avro UrlRequest nor UTF-8 text: " + e.getMessage());
    }
    String jobId =
        record.key() == null || record.key().length == 0
            ? DEFAULT_JOB
            : new String(record.key(), StandardCharsets.UTF_8);
    List<Request> requests = new ArrayList<>();
    for (UrlList.Entry entry : UrlList.parse(Arrays.asList(text.split("\n", -1)))) {
      requests.add(new Request(jobId, entry.url(), idPrefix + entry.line(), entry.line(), null));
    }
    return new Parsed(requests, null);
  }
}
