package io.fetchstats.ingest;

import java.net.UnknownHostException;

/**
 * A connection was refused by the {@link AddressPolicy}. It is an {@link UnknownHostException}
 * because that is what OkHttp's DNS hook may throw: to a fetch, the host has no usable address.
 */
final class BlockedAddressException extends UnknownHostException {
  BlockedAddressException(String message) {
    super(message);
  }
}
