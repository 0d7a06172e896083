package io.fetchstats.samples;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The latency, faults and encodings a request asks for in its query parameters. */
record Injection(
    long latencyMillis,
    OptionalInt status,
    OptionalLong retryAfter,
    OptionalLong retryAfterDate,
    OptionalLong failures,
    Fault fault,
    long bytesPerSecond,
    long inflated,
    int redirects,
    Optional<Encoding> encoding) {
  private static final long DEFAULT_RATE = 1024;
  private static final long DEFAULT_INFLATED = 256L * 1024 * 1024;
  // The checksum reads every inflated byte: 64 GiB takes seconds.
  private static final long MAX_INFLATED = 64L * 1024 * 1024 * 1024;

  /** A fault by its {@code fault=} name, and how it changes the delivery of the response. */
  enum Fault {
    NONE("", Plan.Delivery.NORMAL),
    RESET("reset", Plan.Delivery.RESET),
    RESET_BODY("reset-body", Plan.Delivery.RESET_BODY),
    HANG("hang", Plan.Delivery.HANG),
    SLOW("slow", Plan.Delivery.SLOW),
    TRUNCATE("truncate", Plan.Delivery.TRUNCATE),
    GZIP_BOMB("gzip-bomb", Plan.Delivery.NORMAL),
    BAD_GZIP("bad-gzip", Plan.Delivery.NORMAL),
    REDIRECT_LOOP("redirect-loop", Plan.Delivery.NORMAL);

    private final String name;
    private final Plan.Delivery delivery;

    Fault(String name, Plan.Delivery delivery) {
      this.name = name;
      this.delivery = delivery;
    }

    Plan.Delivery delivery() {
      return delivery;
    }
  }

  static Injection parse(Target target) throws HttpError {
    OptionalLong status = target.optionalNumber("status", 200, 599);
    return new Injection(
        target.number("latency", 0, 0, Long.MAX_VALUE),
        status.isPresent() ? OptionalInt.of((int) status.getAsLong()) : OptionalInt.empty(),
        target.optionalNumber("retryAfter", 0, Long.MAX_VALUE),
        target.optionalNumber("retryAfterDate", 0, Integer.MAX_VALUE), // a date, not overflow
        target.optionalNumber("failures", 0, Long.MAX_VALUE),
        target.named("fault", Fault.values(), fault -> fault.name).orElse(Fault.NONE),
        target.number("rate", DEFAULT_RATE, 1, Long.MAX_VALUE),
        target.number("inflated", DEFAULT_INFLATED, 0, MAX_INFLATED),
        (int) target.number("redirects", 0, 0, Integer.MAX_VALUE),
        target.named("encoding", Encoding.values(), Encoding::token));
  }
}
