package io.fetchstats.domain;

import static io.fetchstats.domain.Requests.JOB;
import static io.fetchstats.domain.Requests.chunk;
import static io.fetchstats.domain.Requests.fields;
import static io.fetchstats.domain.Requests.numbered;
import static io.fetchstats.domain.Requests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The merge laws of a job's aggregate, exact: the fields kept and the failures listed do not depend
 * on the order in which URLs complete. Only two manifests announcing different URL counts would
 * (the first is kept); a job has one manifest, so the parts here agree on it.
 */
class JobAggregatePropertiesTest {
  /** Few enough that the listing is often cut short. */
  private static final int LISTED = 2;

  private static final JobAggregate EMPTY = JobAggregate.empty(JOB);

  /** A job of one completed URL request: succeeded, failed to fetch or parse, or no numbers. */
  @Provide
  Arbitrary<JobAggregate> urls() {
    Arbitrary<Map<String, double[]>> named =
        Arbitraries.maps(
                Arbitraries.of("a", "b", "price"),
                Arbitraries.doubles().between(-1e3, 1e3).array(double[].class).ofMaxSize(5))
            .ofMaxSize(3);
    Arbitrary<Boolean> broken = Arbitraries.of(false, false, false, true);
    Arbitrary<UrlAggregate> chunk =
        Combinators.combine(Arbitraries.integers().between(0, 9), named, broken)
            .as(
                (i, fields, fails) ->
                    chunk(url(i), "r" + i, 2, fields(fields), fails ? "chunk 0: cut" : null));
    return Combinators.combine(
            chunk, Arbitraries.of(true, true, false), Arbitraries.of(false, false, false, true))
        .as(
            (url, ok, repeats) ->
                JobAggregate.ofUrl(url.merge(outcome(url.url(), url.requestId(), ok, 1)), repeats));
  }

  /** A part of the job: some of its completed URLs, and perhaps its manifest or a cancellation. */
  @Provide
  Arbitrary<JobAggregate> parts() {
    Arbitrary<JobAggregate> manifest =
        Arbitraries.of(
            EMPTY,
            EMPTY,
            JobAggregate.ofManifest(JOB, 5, new JobTerms(1_000L, "CSV", "job-0", null)),
            JobAggregate.ofCancellation(JOB, 2_000),
            JobAggregate.ofCancellation(JOB, 3_000));
    return Combinators.combine(urls().list().ofMaxSize(5), manifest)
        .as((urls, last) -> fold(urls).merge(last, LISTED));
  }

  @Property(tries = 300)
  void theEmptyJobIsTheIdentity(@ForAll("parts") JobAggregate x) {
    assertThat(x.merge(EMPTY, LISTED)).isEqualTo(x);
    assertThat(EMPTY.merge(x, LISTED)).isEqualTo(x);
  }

  @Property(tries = 300)
  void mergeIsAssociative(
      @ForAll("parts") JobAggregate x,
      @ForAll("parts") JobAggregate y,
      @ForAll("parts") JobAggregate z) {
    assertThat(x.merge(y, LISTED).merge(z, LISTED)).isEqualTo(x.merge(y.merge(z, LISTED), LISTED));
  }

  @Property(tries = 300)
  void mergeIsCommutative(@ForAll("parts") JobAggregate x, @ForAll("parts") JobAggregate y) {
    assertThat(x.merge(y, LISTED)).isEqualTo(y.merge(x, LISTED));
  }

  @Test
  void aFailedUrlCountsItsBytesAndChunksButNoCells() {
    UrlAggregate broken =
        chunk(url(1), "r1", 4, fields(Map.of("a", new double[] {1})), "chunk 0: cut")
            .merge(outcome(url(1), "r1", true, 1));

    JobAggregate job = EMPTY.merge(JobAggregate.ofUrl(broken, false), LISTED);

    assertThat(job.urlsFailed()).isEqualTo(1);
    assertThat(job.urlsSucceeded()).isZero();
    assertThat(job.bytes()).isEqualTo(1_000);
    assertThat(job.chunks()).isEqualTo(1);
    assertThat(job.rows()).isZero();
    assertThat(job.fields()).isEqualTo(Fields.EMPTY);
    assertThat(job.failures())
        .containsExactly(new UrlFailure(url(1), "PARSE_ERROR", "chunk 0: cut"));
  }

  @Test
  void aRepeatedUrlCountsOnlyAsADuplicate() {
    UrlAggregate url =
        chunk(url(1), "r1", 4, fields(Map.of("a", new double[] {1})), null)
            .merge(outcome(url(1), "r1", true, 1));

    JobAggregate job = EMPTY.merge(JobAggregate.ofUrl(url, true), LISTED);

    assertThat(job)
        .isEqualTo(
            new JobAggregate(
                JOB, null, 1, 0, 0, 1, 0, 0, 0, 0, Fields.EMPTY, List.of(), null, JobTerms.NONE));
  }

  /**
   * 2,800 fields over three URLs, more than a job keeps: the first 2,000 in name order are kept
   * however the URLs are grouped and ordered.
   */
  @Test
  void theFieldsKeptDoNotDependOnTheOrderOfMerges() {
    JobAggregate a = completed(0, numbered("f", 0, 1_000));
    JobAggregate b = completed(1, numbered("f", 900, 1_900));
    JobAggregate c = completed(2, numbered("f", 1_800, 2_800));

    List<JobAggregate> merged =
        List.of(
            a.merge(b, LISTED).merge(c, LISTED),
            a.merge(b.merge(c, LISTED), LISTED),
            c.merge(a, LISTED).merge(b, LISTED),
            b.merge(c, LISTED).merge(a, LISTED),
            EMPTY.merge(c, LISTED).merge(b, LISTED).merge(a, LISTED));

    JobAggregate first = merged.get(0);
    assertThat(first.fields().size()).isEqualTo(Fields.MAX_FIELDS);
    assertThat(first.fieldsOmittedFrom()).isEqualTo("f2000");
    assertThat(first.fields().byName().lastKey()).isEqualTo("f1999");
    assertThat(merged).allSatisfy(job -> assertThat(job).isEqualTo(first));
  }

  private static JobAggregate completed(int i, Fields fields) {
    UrlAggregate url =
        chunk(url(i), "r" + i, 1, fields, null).merge(outcome(url(i), "r" + i, true, 1));
    return JobAggregate.ofUrl(url, false);
  }

  private static String url(int i) {
    return "http://h/" + i + ".csv";
  }

  private static JobAggregate fold(List<JobAggregate> parts) {
    return parts.stream().reduce(EMPTY, (job, part) -> job.merge(part, LISTED));
  }
}
