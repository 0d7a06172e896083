package io.fetchstats.ingest;

import io.fetchstats.avro.UrlRequest;
import io.fetchstats.domain.Keys;
import io.fetchstats.domain.UrlList;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.InputReader;
import io.fetchstats.parse.Format;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the requests out of one record of the urls topic, which any producer may write to: an Avro
 * {@link UrlRequest} (keyed by its job id, or not keyed), or plain UTF-8 text, a {@link UrlList},
 * whose job id is the record key. What cannot be read is explained, for dead-letters.
 */
final class UrlRequests {
  /** Job id of plain-text requests that came without a key. */
  static final String DEFAULT_JOB = "default";

  private static final InputReader<UrlRequest> AVRO =
      new InputReader<>(UrlRequest.class, UrlRequest::getJobId, UrlRequests::problem).keyOptional();

  /**
   * One URL to fetch; {@code requestId} is unique per request and the same on every replay; {@code
   * format} is the submitter's, or null to tell it from the response.
   */
  record Request(String jobId, String url, String requestId, int line, Format format) {}

  /**
   * The requests of a record and, if the record or some of its lines cannot be read, the class of
   * what went wrong ({@code exception}) and why ({@code error}).
   */
  record Parsed(List<Request> requests, String exception, String error) {
    static Parsed refused(String exception, String error) {
      return new Parsed(List.of(), exception, error);
    }
  }

  private UrlRequests() {}

  static Parsed parse(ConsumerRecord<byte[], byte[]> record) {
    String idPrefix = record.partition() + ":" + record.offset() + ":";
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return Parsed.refused(
          InvalidRecordException.class.getName(),
          (value == null ? "no value (a tombstone)" : "an empty value")
              + ": expected an Avro UrlRequest or UTF-8 text, one URL a line");
    }
    if (AvroSerde.isSingleObjectEncoded(value)) {
      // An empty key is no key, as for text.
      byte[] key = record.key() == null || record.key().length == 0 ? null : record.key();
      InputReader.Read<UrlRequest> read = AVRO.read(key, value);
      if (!read.ok()) {
        return Parsed.refused(read.exception(), read.reason());
      }
      UrlRequest request = read.value();
      Format format = request.getFormat() == null ? null : Format.named(request.getFormat());
      return new Parsed(
          List.of(new Request(request.getJobId(), request.getUrl(), idPrefix + 0, 0, format)),
          null,
          null);
    }
    String text;
    try {
      text = utf8(value);
    } catch (CharacterCodingException e) {
      return Parsed.refused(
          SerializationException.class.getName(),
          "neither an Avro UrlRequest nor UTF-8 text: " + e.getMessage());
    }
    String jobId = DEFAULT_JOB;
    if (record.key() != null && record.key().length > 0) {
      jobId = new String(record.key(), StandardCharsets.UTF_8);
      String problem = Keys.jobIdProblem(jobId);
      if (problem != null) {
        return Parsed.refused(
            InvalidRecordException.class.getName(),
            "the record key, the job id of its URLs: " + problem);
      }
    }
    List<Request> requests = new ArrayList<>();
    List<String> tooLong = new ArrayList<>();
    for (UrlList.Entry entry : UrlList.parse(Arrays.asList(text.split("\n", -1)))) {
      if (entry.url().length() > Keys.MAX_URL_LENGTH) {
        tooLong.add(String.valueOf(entry.line() + 1));
      } else {
        requests.add(new Request(jobId, entry.url(), idPrefix + entry.line(), entry.line(), null));
      }
    }
    return tooLong.isEmpty()
        ? new Parsed(requests, null, null)
        : new Parsed(
            requests,
            InvalidRecordException.class.getName(),
            "not fetched: the URL on line "
                + String.join(", ", tooLong)
                + " is longer than "
                + Keys.MAX_URL_LENGTH
                + " characters");
  }

  /** Why a UrlRequest cannot be fetched, or null. */
  private static String problem(UrlRequest request) {
    if (request.getUrl().length() > Keys.MAX_URL_LENGTH) {
      return "a URL of "
          + request.getUrl().length()
          + " characters, longer than "
          + Keys.MAX_URL_LENGTH;
    }
    if (request.getFormat() != null) {
      try {
        Format.named(request.getFormat());
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return Keys.jobIdProblem(request.getJobId());
  }

  private static String utf8(byte[] value) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(value))
        .toString();
  }
}
