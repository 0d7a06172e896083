package io.fetchstats.ingest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to. By default none that leads inside: loopback, private,
 * link-local, carrier-grade NAT, benchmarking, reserved, unique-local, multicast and unspecified
 * addresses are refused, and so are IPv6 addresses that embed one of those IPv4 addresses (NAT64,
 * 6to4, IPv4-compatible) or hide one (Teredo), so a URL fed into the topic cannot reach internal
 * services.
 */
interface AddressPolicy {
  /** Why the address is refused, or empty when a connection may go there. */
  Optional<String> refusal(InetAddress address);

  static AddressPolicy of(boolean allowPrivateNetworks) {
    return allowPrivateNetworks ? address -> Optional.empty() : AddressPolicy::internalRefusal;
  }

  private static Optional<String> internalRefusal(InetAddress address) {
    String range = internalRange(address);
    return range == null
        ? Optional.empty()
        : Optional.of(address.getHostAddress() + " is " + range);
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
      return ipv4Range(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF);
    }
    if (address instanceof Inet6Address) {
      return ipv6Range(b);
    }
    return null;
  }

  /** IPv4 ranges the JDK's predicates above do not cover. */
  private static String ipv4Range(int first, int second, int third) {
    if (first == 0) {
      return "in 0.0.0.0/8";
    }
    if (first == 100 && second >= 64 && second < 128) {
      return "a carrier-grade NAT address";
    }
    if (first == 198 && (second == 18 || second == 19)) {
      return "a benchmarking address";
    }
    if (first == 192 && second == 0 && third == 0) {
      return "an IETF protocol address";
    }
    if (first >= 240) {
      return "a reserved address";
    }
    return null;
  }

  private static String ipv6Range(byte[] b) {
    if ((b[0] & 0xFE) == 0xFC) {
      return "a unique-local address";
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      return "a Teredo address";
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return embedded(b, 2, "a 6to4 address");
    }
    if (b[0] == 0
        && b[1] == 0x64
        && b[2] == (byte) 0xFF
        && b[3] == (byte) 0x9B
        && allZero(b, 4, 12)) {
      return embedded(b, 12, "a NAT64 address");
    }
    if (allZero(b, 0, 12)) {
      return embedded(b, 12, "an IPv4-compatible address");
    }
    return null;
  }

  /** The range of the IPv4 address inside {@code b} at {@code offset}, if that one is internal. */
  private static String embedded(byte[] b, int offset, String kind) {
    try {
      InetAddress ipv4 =
          InetAddress.getByAddress(
              new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
      String range = internalRange(ipv4);
      return range == null ? null : kind + " for " + ipv4.getHostAddress() + ", " + range;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
