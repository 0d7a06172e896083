package io.fetchstats.stats;

import static io.fetchstats.stats.Reference.accumulate;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The merge laws and split independence, over values of every magnitude and kind. */
class FieldStatsPropertiesTest {

  @Provide
  Arbitrary<double[]> values() {
    // Equally often: everyday magnitudes, any double, and the values at the edges.
    Arbitrary<Double> value =
        Arbitraries.oneOf(
            Arbitraries.doubles().between(-1e6, 1e6),
            Arbitraries.doubles(),
            Arbitraries.of(
                0.0,
                -0.0,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MAX_VALUE,
                -Double.MAX_VALUE,
                1e-300,
                1e300,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
    return value.array(double[].class).ofMaxSize(60);
  }

  @Property(tries = 300)
  void mergeIsAssociativeAndCommutativeWithEmptyAsIdentity(
      @ForAll("values") double[] a, @ForAll("values") double[] b, @ForAll("values") double[] c) {
    FieldStats x = accumulate(a);
    FieldStats y = accumulate(b);
    FieldStats z = accumulate(c);

    assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
    assertThat(x.merge(y)).isEqualTo(y.merge(x));
    assertThat(x.merge(FieldStats.EMPTY)).isEqualTo(x);
    assertThat(FieldStats.EMPTY.merge(x)).isEqualTo(x);
  }

  @Property(tries = 300)
  void anySplitMergesToTheWhole(@ForAll("values") double[] xs, @ForAll double where) {
    int cut = (int) Math.floor(Math.abs(where % 1) * (xs.length + 1));
    FieldStats whole = accumulate(xs);

    FieldStats merged =
        accumulate(Arrays.copyOfRange(xs, 0, cut))
            .merge(accumulate(Arrays.copyOfRange(xs, cut, xs.length)));

    assertThat(merged).isEqualTo(whole);
    assertThat(Double.doubleToRawLongBits(merged.sum()))
        .isEqualTo(Double.doubleToRawLongBits(whole.sum()));
  }
}
