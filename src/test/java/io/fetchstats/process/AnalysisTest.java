package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnalysisTest {
  private static Analysis analyze(String json) {
    return Analysis.ofJsonArray(json.getBytes(StandardCharsets.UTF_8));
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
    Analysis analysis = analyze(json.append("]").toString());

    FieldStats expected = reference.snapshot();
    assertThat(analysis.rows()).isEqualTo(5000);
    assertThat(analysis.fields()).hasSize(1);
    FieldResult field = analysis.fields().get(0);
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
    FieldResult field = analyze("[3, 1, 4, 1, 5, 9, 2, 6]").fields().get(0);

    assertThat(field.getPercentilesExact()).isTrue();
    assertThat(field.getP95()).isEqualTo(7.95);
    assertThat(field.getP99()).isEqualTo(8.79);
    assertThat(analyze("[1, 2, 2, 1, 2]").fields().get(0).getP25()).isEqualTo(1.0);
  }

  @Test
  void objectsGiveAFieldPerPathAndOtherCellsAreCountedNotSummed() {
    Analysis analysis = analyze(" [{\"a\": 1, \"b\": 2}, {\"a\": 3, \"b\": null}, {\"a\": \"x\"}]");

    assertThat(analysis.rows()).isEqualTo(3);
    assertThat(analysis.fields()).extracting(FieldResult::getName).containsExactly("[].a", "[].b");
    FieldResult a = analysis.fields().get(0);
    assertThat(a.getCount()).isEqualTo(2);
    assertThat(a.getNonNumeric()).isEqualTo(1);
    assertThat(a.getMean()).isEqualTo(2.0);
    assertThat(analysis.fields().get(1).getMissing()).isEqualTo(1);
  }

  @Test
  void anEmptyArrayHasNoFields() {
    assertThat(analyze("[]").fields()).isEmpty();
  }

  @Test
  void whatIsNotAWholeArrayIsRefusedWithTheReason() {
    assertThatThrownBy(() -> analyze("{\"a\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON array");
    assertThatThrownBy(() -> analyze(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON array");
    assertThatThrownBy(() -> analyze("[1, 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid JSON");
    StringBuilder manyKeys = new StringBuilder("[");
    for (int i = 0; i <= Analysis.MAX_FIELDS; i++) {
      manyKeys.append(i == 0 ? "" : ",").append("{\"k").append(i).append("\": 1}");
    }
    assertThatThrownBy(() -> analyze(manyKeys.append("]").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + Analysis.MAX_FIELDS + " distinct fields");
    assertThatThrownBy(() -> analyze("[1, 2] [3]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid JSON");
  }
}
