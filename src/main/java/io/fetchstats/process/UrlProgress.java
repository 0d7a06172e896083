package io.fetchstats.process;

import io.fetchstats.domain.UrlAggregate;

/**
 * What the URL aggregator passes on after each event: the URL's state, and whether it just
 * completed.
 */
record UrlProgress(UrlAggregate aggregate, boolean completedNow) {}
