package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobResult;
import io.fetchstats.parse.Format;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A body analyzed as one URL of a job: its chunks parsed and merged as the processor does, the
 * outcome deciding with the cells whether it succeeded.
 */
class BodyAnalysisTest {
  /** A JSON body given whole as its one chunk, read to its end. */
  private static JobResult analyze(String json) {
    return analyze(Format.JSON, null, json);
  }

  private static JobResult analyze(Format format, String header, String... chunks) {
    BodyAnalysis analysis = new BodyAnalysis("body");
    long bytes = 0;
    for (int seq = 0; seq < chunks.length; seq++) {
      byte[] data = chunks[seq].getBytes(StandardCharsets.UTF_8);
      analysis.chunk(seq, format, header, data);
      bytes += data.length;
    }
    return analysis.result(outcome(true, null, null, format, bytes, chunks.length));
  }

  private static FetchOutcome outcome(
      boolean ok, String errorClass, String error, Format format, long bytes, int chunks) {
    return FetchOutcome.newBuilder()
        .setJobId("body")
        .setUrl("body")
        .setRequestId(BodyAnalysis.REQUEST)
        .setOk(ok)
        .setStatus(null)
        .setProtocol(null)
        .setErrorClass(errorClass)
        .setError(error)
        .setContentType(null)
        .setFormat(format.name())
        .setBytes(bytes)
        .setChunkCount(chunks)
        .setSha256(null)
        .setLatencyMs(0)
        .setAttempts(1)
        .setFetchedAt(Instant.EPOCH)
        .setDuplicateOf(null)
        .setFetchId(BodyAnalysis.FETCH)
        .build();
  }

  @Test
  void anArrayOfNumbersGetsTheExactStatisticsOfAnAccumulator() {
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder json = new StringBuilder("[");
    FieldAccumulator reference = new FieldAccumulator();
    for (int i = 0; i < 5000; i++) {
      double x = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(-5, 8));
      reference.add(x);
      json.append(i == 0 ? "" : ", ").append(x);
    }
    JobResult analysis = analyze(json.append("]").toString());

    FieldStats expected = reference.snapshot();
    assertThat(analysis.getRows()).isEqualTo(5000);
    assertThat(analysis.getFields()).hasSize(1);
    FieldResult field = analysis.getFields().get(0);
    assertThat(field.getCount()).isEqualTo(5000);
    assertThat(field.getSum()).isEqualTo(expected.sum());
    assertThat(field.getMean()).isEqualTo(expected.mean().getAsDouble());
    assertThat(field.getVarianceSample()).isEqualTo(expected.sampleVariance().getAsDouble());
    assertThat(field.getMin()).isEqualTo(expected.minimum().getAsDouble());
    assertThat(field.getP50()).isBetween(field.getMin(), field.getMax());
    assertThat(field.getPercentilesExact()).isFalse(); // 5000 distinct values

    assertThat(field.getHistogram().getCounts().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(5000);
  }

  @Test
  void theIssuesArrayGetsNumpysPercentilesExactly() {
    FieldResult field = analyze("[3, 1, 4, 1, 5, 9, 2, 6]").getFields().get(0);

    assertThat(field.getPercentilesExact()).isTrue();
    assertThat(field.getP95()).isEqualTo(7.95);
    assertThat(field.getP99()).isEqualTo(8.79);
    assertThat(analyze("[1, 2, 2, 1, 2]").getFields().get(0).getP25()).isEqualTo(1.0);
  }

  @Test
  void objectsGiveAFieldPerPathAndOtherCellsAreCountedNotSummed() {
    JobResult analysis =
        analyze(" [{\"a\": 1, \"b\": 2}, {\"a\": 3, \"b\": null}, {\"a\": \"x\"}]");

    assertThat(analysis.getRows()).isEqualTo(3);
    assertThat(analysis.getFields())
        .extracting(FieldResult::getName)
        .containsExactly("[].a", "[].b");
    FieldResult a = analysis.getFields().get(0);
    assertThat(a.getCount()).isEqualTo(2);
    assertThat(a.getNonNumeric()).isEqualTo(1);
    assertThat(a.getMean()).isEqualTo(2.0);
    assertThat(analysis.getFields().get(1).getMissing()).isEqualTo(1);
  }

  @Test
  void aCsvBodyInChunksIsOneUrlsResult() {
    JobResult result = analyze(Format.CSV, "id,value", "id,value\n1,2.5\n2,x\n", "3,4\n");

    assertThat(result.getUrlsSucceeded()).isEqualTo(1);
    assertThat(result.getChunks()).isEqualTo(2);
    assertThat(result.getRows()).isEqualTo(3);
    assertThat(result.getFields()).extracting(FieldResult::getName).containsExactly("id", "value");
    assertThat(result.getFields().get(1).getSum()).isEqualTo(6.5);
    assertThat(result.getFields().get(1).getNonNumeric()).isEqualTo(1);
  }

  @Test
  void aBodyWithoutNumbersFailsAsAJobsUrlWouldWithItsCellsCounted() {
    JobResult result = analyze(Format.TEXT, null, "no numbers here\n");

    assertThat(result.getUrlsFailed()).isEqualTo(1);
    assertThat(result.getFailures().get(0).getErrorClass()).isEqualTo("NO_NUMBERS");
    assertThat(result.getFields().get(0).getNonNumeric()).isEqualTo(3);
  }

  @Test
  void brokenJsonOrAFailedReadFailsTheBodyAndCountsNothing() {
    JobResult broken = analyze("[1, 2");
    assertThat(broken.getUrlsFailed()).isEqualTo(1);
    assertThat(broken.getFailures().get(0).getErrorClass()).isEqualTo("PARSE_ERROR");
    assertThat(broken.getFields()).isEmpty();
    assertThat(broken.getRows()).isZero(); // as a job counts none of a failed URL's rows

    BodyAnalysis analysis = new BodyAnalysis("body");
    analysis.chunk(0, Format.TEXT, null, "1 2 3".getBytes(StandardCharsets.UTF_8));
    JobResult notText = analysis.result(outcome(false, "NOT_TEXT", "binary", Format.TEXT, 5, 1));
    assertThat(notText.getFailures().get(0).getErrorClass()).isEqualTo("NOT_TEXT");
    assertThat(notText.getFields()).isEmpty();
  }

  @Test
  void anEmptyArrayHasNoFields() {
    assertThat(analyze("[]").getFields()).isEmpty();
  }
}
