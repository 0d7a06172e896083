package io.fetchstats.ingest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to. By default none that leads inside: loopback, private,
 * link-local, carrier-grade NAT, unique-local, multicast and unspecified addresses are refused,
 * so a URL fed into the topic cannot reach internal services.
 */
record AddressPolicy(boolean allowPrivateNetworks) {

  /** Why the address is refused, or empty when a connection may go there. */
  Optional<String> refusal(InetAddress address) {
    if (allowPrivateNetworks) {
      return Optional.empty();
    }
    String range = internalRange(address);
    return range == null ? Optional.empty() : Optional.of(address.getHostAddress() + " is " + range);
  }

  private static String internalRange(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "an unspecified address";
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address";
    }
    if (address.isSiteLocalAddress()) {
      return "a private address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      if (first == 0) {
        return "in 0.0.0.0/8";
      }
      if (first == 100 && second >= 64 && second < 128) {
        return "a carrier-grade NAT address";
      }
      if (first >= 240) {
        return "a reserved address";
      }
    } else if (address instanceof Inet6Address) {
      if ((b[0] & 0xFE) == 0xFC) {
        return "a unique-local address";
      }
      if (isIpv4Mapped(b)) {
        return internalRange(ipv4Of(b, 12));
      }
    }
    return null;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }

  private static InetAddress ipv4Of(byte[] b, int offset) {
    try {
      return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
