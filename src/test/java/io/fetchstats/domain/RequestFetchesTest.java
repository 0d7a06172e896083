package io.fetchstats.domain;

import static io.fetchstats.domain.Requests.chunk;
import static io.fetchstats.domain.Requests.fields;
import static io.fetchstats.domain.Requests.ofFetch;
import static io.fetchstats.domain.Requests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RequestFetchesTest {
  private static final String URL = "http://h/a.csv";
  private static final String REQUEST = "0:0:1";

  @Test
  void theEventsOfOneFetchMergeAndCompleteTheRequest() {
    RequestFetches.Step first = RequestFetches.first(ofFetch(1, chunkOf(1.5)));
    RequestFetches.Step second = first.state().with(ofFetch(1, outcome(URL, REQUEST, true, 1)));

    assertThat(second.state().isComplete()).isTrue();
    assertThat(second.advanced().fields().byName().get("a").count()).isEqualTo(1);
  }

  @Test
  void theFetchWithTheOutcomeCountsAndTheAbandonedOnesChunksAreDropped() {
    RequestFetches state = RequestFetches.first(ofFetch(1, chunkOf(100))).state();
    state = state.with(ofFetch(2, chunkOf(1.5))).state();
    state = state.with(ofFetch(2, outcome(URL, REQUEST, true, 2))).state();
    RequestFetches.Step late = state.with(ofFetch(1, chunkOf(200)));
    RequestFetches.Step last = state.with(ofFetch(2, chunkOf(2.5)));

    assertThat(late.advanced()).isNull();
    assertThat(late.state()).isEqualTo(state);
    assertThat(last.state().isComplete()).isTrue();
    assertThat(last.advanced().fields().byName().get("a").sum()).isEqualTo(4.0);
  }

  @Test
  void aCompleteRequestKeepsNoCellsAndDropsEveryLaterEvent() {
    RequestFetches done =
        RequestFetches.first(ofFetch(1, chunkOf(1.5)))
            .state()
            .with(ofFetch(1, outcome(URL, REQUEST, true, 1)))
            .state()
            .completed();

    assertThat(done.isComplete()).isTrue();
    assertThat(done.main().fields()).isEqualTo(Fields.EMPTY);
    assertThat(done.with(ofFetch(3, chunkOf(9))).advanced()).isNull();
    assertThat(done.with(ofFetch(3, outcome(URL, REQUEST, true, 1))).advanced()).isNull();
  }

  @Test
  void aSecondOutcomeOfTheFetchIsDropped() {
    RequestFetches waiting =
        RequestFetches.first(ofFetch(1, outcome(URL, REQUEST, true, 2))).state();

    assertThat(waiting.with(ofFetch(1, outcome(URL, REQUEST, true, 2))).advanced()).isNull();
  }

  /**
   * Whatever order the chunks of an abandoned fetch arrive in among those of the fetch that counts
   * and its outcome, the request completes once, with exactly the counting fetch's cells.
   */
  @Property(tries = 200)
  void abandonedChunksNeverCountWhateverTheOrder(@ForAll long seed) {
    List<UrlAggregate> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(ofFetch(7, chunkOf(i)));
      events.add(ofFetch(8, chunkOf(1000 + i)));
    }
    events.add(ofFetch(8, chunkOf(1003)));
    events.add(ofFetch(7, outcome(URL, REQUEST, true, 3)));
    Collections.shuffle(events, new Random(seed));

    RequestFetches state = null;
    List<UrlAggregate> completed = new ArrayList<>();
    for (UrlAggregate event : events) {
      RequestFetches.Step step = state == null ? RequestFetches.first(event) : state.with(event);
      if (step.state().isComplete() && (state == null || !state.isComplete())) {
        completed.add(step.advanced());
      }
      state = step.state().isComplete() ? step.state().completed() : step.state();
    }

    assertThat(completed).singleElement();
    assertThat(completed.get(0).fields().byName().get("a").sum()).isEqualTo(3.0);
    assertThat(completed.get(0).chunksCounted()).isEqualTo(3);
  }

  private static UrlAggregate chunkOf(double value) {
    return chunk(URL, REQUEST, 1, fields(Map.of("a", new double[] {value})), null);
  }
}
