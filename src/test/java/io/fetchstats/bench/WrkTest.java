package io.fetchstats.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** wrk's report, as wrk 4.2 prints it. */
class WrkTest {
  @Test
  void readsTheRatesInWrksBinaryUnits() {
    Wrk.Result result =
        Wrk.parse(
            """
            Running 1s test @ http://127.0.0.1:18931/gen/text?bytes=1048576&seed=1
              2 threads and 8 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     5.87ms   16.63ms 113.42ms   93.41%
                Req/Sec     1.98k   842.60     4.17k    73.68%
              3882 requests in 1.10s, 3.79GB read
            Requests/sec:   3527.71
            Transfer/sec:      3.45GB
            """);

    assertThat(result.requestsPerSecond()).isEqualTo(3527.71);
    assertThat(result.bytesPerSecond()).isCloseTo(3.45 * (1L << 30), within(1.0));
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void reportsErrorResponses() {
    Wrk.Result result =
        Wrk.parse(
            """
              42330 requests in 1.00s, 4.80MB read
              Socket errors: connect 0, read 3, write 0, timeout 0
              Non-2xx or 3xx responses: 42330
            Requests/sec:  42200.23
            Transfer/sec:      4.79MB
            """);

    assertThat(result.errors())
        .contains(
            "Socket errors: connect 0, read 3, write 0, timeout 0;"
                + " Non-2xx or 3xx responses: 42330");
  }
}
