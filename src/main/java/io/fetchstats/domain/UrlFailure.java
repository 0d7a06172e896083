package io.fetchstats.domain;

import java.util.Comparator;

/**
 * Why one URL of a job produced no statistics.
 *
 * @param errorClass a {@link FailureClass} name
 */
public record UrlFailure(String url, String errorClass, String error) {
  /** The order in which a job lists its failures: the same whatever the arrival order. */
  static final Comparator<UrlFailure> LISTING_ORDER =
      Comparator.comparing(UrlFailure::url)
          .thenComparing(UrlFailure::errorClass)
          .thenComparing(UrlFailure::error);

  /** As a job lists it: a long URL or reason cut short (url-results has them whole). */
  UrlFailure shortened() {
    return new UrlFailure(Keys.abbreviate(url, 2_000), errorClass, Keys.abbreviate(error, 1_000));
  }
}
