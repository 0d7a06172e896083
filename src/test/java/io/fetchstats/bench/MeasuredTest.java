package io.fetchstats.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuredTest {
  @Test
  void theMedianOfAnOddCountIsTheMiddleValue() {
    assertThat(Measured.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Measured(2.0, 1.0, 3.0));
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Measured.of(List.of(4.0, 1.0, 2.0, 10.0))).isEqualTo(new Measured(3.0, 1.0, 10.0));
  }
}
