package io.fetchstats.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.Histogram;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsRenderingTest {
  private static JobResult job(boolean complete, Integer expected, double sum) {
    FieldResult price =
        FieldResult.newBuilder()
            .setName("price")
            .setCount(3)
            .setMissing(1)
            .setNonNumeric(2)
            .setNonFinite(0)
            .setSum(sum)
            .setMean(-2.5)
            .setMin(-10.0)
            .setMax(0.125)
            .setVariancePopulation(4.0)
            .setVarianceSample(6.0)
            .setStddevPopulation(2.0)
            .setStddevSample(2.449489742783178)
            .setP25(-5.0)
            .setP50(-1.0)
            .setP75(0.05)
            .setP95(0.1)
            .setP99(0.12)
            .setPercentileRelativeAccuracy(0.01)
            .setPercentilesExact(false)
            .setHistogram(new Histogram(-10.0, 0.125, List.of(1L, 0L, 2L)))
            .build();
    FieldResult empty =
        FieldResult.newBuilder()
            .setName("city")
            .setCount(0)
            .setMissing(0)
            .setNonNumeric(3)
            .setNonFinite(0)
            .setSum(0.0)
            .build();
    return JobResult.newBuilder()
        .setJobId("job-1")
        .setComplete(complete)
        .setUrlsExpected(expected)
        .setUrlsCompleted(3)
        .setUrlsSucceeded(2)
        .setUrlsFailed(1)
        .setBytes(2048)
        .setChunks(4)
        .setRows(3)
        .setRaggedRows(0)
        .setFields(List.of(empty, price))
        .setFailures(List.of(new UrlFailure("http://h/x", "HTTP_STATUS", "HTTP 404 Not Found")))
        .build();
  }

  @Test
  void theTableShowsStatusFieldsAndFailures() {
    String table = ResultsTable.render(job(true, 3, -7.5));

    assertThat(table)
        .startsWith("Job job-1: complete (3/3 URLs done)")
        .contains("URLs: 2 succeeded, 1 failed; 2.0 KiB in 4 chunks, 3 rows")
        .containsPattern(
            "price\\s+3\\s+-2.5\\s+2.44949\\s+-10\\s+~-1\\s+~0.1\\s+~0.12\\s+0.125\\s+-7.5\\s+1\\s+2\\s+0")
        .contains("~ percentiles from the sketch (over 4,096 distinct values), within 1%")
        .containsPattern("city\\s+0(\\s+-){7}\\s+0\\s+0\\s+3\\s+0")
        .contains("http://h/x  HTTP_STATUS: HTTP 404 Not Found");
    assertThat(ResultsTable.render(job(false, null, 1)))
        .startsWith("Job job-1: open-ended, 3/? URLs done");
  }

  @Test
  void jsonHasStableNamesNullsForUndefinedValuesAndNoBareInfinity() throws Exception {
    JsonNode json =
        new ObjectMapper().readTree(ResultsJson.render(job(true, 3, Double.POSITIVE_INFINITY)));

    assertThat(json.get("jobId").asText()).isEqualTo("job-1");
    assertThat(json.get("complete").asBoolean()).isTrue();
    JsonNode city = json.get("fields").get(0);
    assertThat(city.get("name").asText()).isEqualTo("city");
    assertThat(city.get("mean").isNull()).isTrue();
    JsonNode price = json.get("fields").get(1);
    assertThat(price.get("sum").asText()).isEqualTo("Infinity");
    assertThat(price.get("stddevSample").asDouble()).isEqualTo(2.449489742783178);
    assertThat(price.get("p99").asDouble()).isEqualTo(0.12);
    assertThat(price.get("percentileRelativeAccuracy").asDouble()).isEqualTo(0.01);
    assertThat(price.get("percentilesExact").asBoolean()).isFalse();
    assertThat(city.get("percentilesExact").isNull()).isTrue();
    assertThat(price.get("histogram").get("min").asDouble()).isEqualTo(-10.0);
    assertThat(price.get("histogram").get("counts").toString()).isEqualTo("[1,0,2]");
    assertThat(city.get("p50").isNull()).isTrue();
    assertThat(city.get("histogram").isNull()).isTrue();
    assertThat(json.get("failures").get(0).get("errorClass").asText()).isEqualTo("HTTP_STATUS");
  }
}
