package io.fetchstats.ingest;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to. By default none that the IANA special-purpose registries
 * mark as not globally reachable (loopback, private, link-local, shared, documentation,
 * benchmarking, reserved, unique-local and the like), no multicast address, no IPv6 address outside
 * global unicast, and no IPv6 address that carries one of those IPv4 addresses (NAT64, 6to4) or
 * hides one (Teredo), so a URL fed into the topic cannot reach internal services. See {@link
 * AddressBlocks}.
 */
interface AddressPolicy {
  /** Why the address is refused, or empty when a connection may go there. */
  Optional<String> refusal(InetAddress address);

  static AddressPolicy of(boolean allowPrivateNetworks) {
    return allowPrivateNetworks ? address -> Optional.empty() : AddressBlocks::refusal;
  }
}
