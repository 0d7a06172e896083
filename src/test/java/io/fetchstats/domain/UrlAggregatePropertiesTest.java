package io.fetchstats.domain;

import static io.fetchstats.domain.Requests.JOB;
import static io.fetchstats.domain.Requests.chunk;
import static io.fetchstats.domain.Requests.fields;
import static io.fetchstats.domain.Requests.numbered;
import static io.fetchstats.domain.Requests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The merge laws of a URL request's aggregate. Exact but for commutativity: which outcome and which
 * failure message a merge keeps depends on the order (a request has one outcome; its first chunk
 * error is reported), so commutativity is checked on all the rest, and on whether it failed. The
 * generated requests stay within the field limits: over them, the message tells the size found at
 * the merge that went over, which depends on the grouping too (see the example tests below).
 */
class UrlAggregatePropertiesTest {
  private static final String URL = "http://h/a.csv";
  private static final String REQUEST = "0:0:1";
  private static final UrlAggregate EMPTY = UrlAggregate.empty(JOB, URL, REQUEST, null);

  @Provide
  Arbitrary<UrlAggregate> chunks() {
    Arbitrary<double[]> values =
        Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.MAX_VALUE, -Double.MIN_VALUE))
            .array(double[].class)
            .ofMaxSize(8);
    Arbitrary<Map<String, double[]>> named =
        Arbitraries.maps(Arbitraries.of("a", "b", "c", "price"), values).ofMaxSize(3);
    Arbitrary<String> error =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just((String) null)),
            Tuple.of(1, Arbitraries.of("chunk 1: broken", "chunk 4: cut")));
    return Combinators.combine(Arbitraries.longs().between(0, 50), named, error)
        .as((rows, fields, why) -> chunk(URL, REQUEST, rows, fields(fields), why));
  }

  /** A part of the request: some of its chunks, and perhaps its outcome. */
  @Provide
  Arbitrary<UrlAggregate> parts() {
    Arbitrary<UrlAggregate> outcome =
        Arbitraries.of(
            EMPTY, outcome(URL, REQUEST, true, 3), outcome(URL, REQUEST, false, 0), EMPTY);
    return Combinators.combine(chunks().list().ofMaxSize(4), outcome)
        .as((chunks, last) -> fold(chunks).merge(last));
  }

  @Property(tries = 300)
  void theEmptyRequestIsTheIdentity(@ForAll("parts") UrlAggregate x) {
    assertThat(x.merge(EMPTY)).isEqualTo(x);
    assertThat(EMPTY.merge(x)).isEqualTo(x);
  }

  @Property(tries = 300)
  void mergeIsAssociative(
      @ForAll("parts") UrlAggregate x,
      @ForAll("chunks") UrlAggregate y,
      @ForAll("parts") UrlAggregate z) {
    assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
  }

  @Property(tries = 300)
  void mergeIsCommutativeButForWhichFailureItReports(
      @ForAll("parts") UrlAggregate x, @ForAll("chunks") UrlAggregate y) {
    assertThat(orderFree(x.merge(y))).isEqualTo(orderFree(y.merge(x)));
  }

  @Property(tries = 200)
  void theEventsOfARequestInAnyOrderGiveTheSameAggregate(
      @ForAll @Size(max = 6) List<@From("chunks") UrlAggregate> chunks,
      @ForAll boolean ok,
      @ForAll long seed) {
    List<UrlAggregate> events = new ArrayList<>(chunks);
    events.add(outcome(URL, REQUEST, ok, chunks.size()));
    List<UrlAggregate> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(seed));

    UrlAggregate inOrder = fold(events);
    UrlAggregate reordered = fold(shuffled);

    assertThat(orderFree(reordered)).isEqualTo(orderFree(inOrder));
    assertThat(reordered.isComplete()).isTrue();
    assertThat(reordered.failure() == null).isEqualTo(inOrder.failure() == null);
  }

  @Test
  void aChunkErrorFailsTheRequestAndDropsItsCellsWhateverItsPlace() {
    UrlAggregate good = chunk(URL, REQUEST, 2, fields(Map.of("a", new double[] {1, 2})), null);
    UrlAggregate broken =
        chunk(URL, REQUEST, 1, fields(Map.of("a", new double[] {3})), "chunk 1: cut");

    for (UrlAggregate merged : List.of(good.merge(broken), broken.merge(good))) {
      assertThat(merged.parseError()).isEqualTo("chunk 1: cut");
      assertThat(merged.errorClass()).isEqualTo("PARSE_ERROR");
      assertThat(merged.fields()).isEqualTo(Fields.EMPTY);
      assertThat(merged.rows()).isEqualTo(3);
    }
  }

  @Test
  void tooManyFieldsFailTheRequestWhicheverChunkBringsTheLastOne() {
    UrlAggregate first = chunk(URL, REQUEST, 1, numbered("f", 0, 1_500), null);
    UrlAggregate second = chunk(URL, REQUEST, 1, numbered("f", 1_000, 2_001), null);

    for (UrlAggregate merged :
        List.of(EMPTY.merge(first).merge(second), EMPTY.merge(second).merge(first))) {
      assertThat(merged.errorClass()).isEqualTo("TOO_MANY_FIELDS");
      assertThat(merged.parseError())
          .isEqualTo("the body holds statistics of more than 2000 distinct fields");
      assertThat(merged.fields()).isEqualTo(Fields.EMPTY);
      assertThat(merged.chunksCounted()).isEqualTo(2);
    }
  }

  private static UrlAggregate fold(List<UrlAggregate> events) {
    return events.stream().reduce(EMPTY, UrlAggregate::merge);
  }

  /** All of an aggregate that does not depend on the order of merges. */
  private record OrderFree(
      FetchOutcome outcome,
      int chunks,
      long rows,
      long raggedRows,
      Fields fields,
      boolean failed) {}

  private static OrderFree orderFree(UrlAggregate url) {
    return new OrderFree(
        url.outcome(),
        url.chunksCounted(),
        url.rows(),
        url.raggedRows(),
        url.fields(),
        url.parseError() != null);
  }
}
