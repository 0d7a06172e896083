package io.fetchstats.ingest;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a fetch may reach, by blocks: those of the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries, with their names there and their "Globally Reachable", and a few that the
 * registries leave to others (multicast, the IPv6 space outside global unicast, IPv4 addresses
 * inside IPv6 ones). The most specific block that holds an address decides, so the registries'
 * exceptions (a reachable /32 inside a /24 that is not) are entries like any other.
 */
final class AddressBlocks {
  /** What a block's addresses are to a fetch. */
  private enum Reach {
    /** Globally reachable: allowed. */
    GLOBAL,
    /** Not globally reachable: refused. */
    INTERNAL,
    /** As the IPv4 address right after the prefix is, which is where NAT64 and 6to4 put it. */
    EMBEDDED_IPV4
  }

  /** An address block as the registries write it: {@code 192.0.2.0/24}, {@code 2001:db8::/32}. */
  private record Prefix(String text, int bits, BigInteger network, int length) {
    static Prefix of(String text) {
      int slash = text.indexOf('/');
      byte[] address = literal(text.substring(0, slash));
      BigInteger network = new BigInteger(1, address);
      int length = Integer.parseInt(text.substring(slash + 1));
      int hostBits = address.length * 8 - length;
      if (!network.shiftRight(hostBits).shiftLeft(hostBits).equals(network)) {
        throw new IllegalArgumentException(text + " has bits set past its prefix length");
      }
      return new Prefix(text, address.length * 8, network, length);
    }

    boolean contains(byte[] address) {
      int hostBits = bits - length;
      return address.length * 8 == bits
          && new BigInteger(1, address).shiftRight(hostBits).equals(network.shiftRight(hostBits));
    }

    @Override
    public String toString() {
      return text;
    }

    private static byte[] literal(String address) {
      try {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        if (bytes.length == 4 && address.contains(":")) {
          // The JDK reads an IPv4-mapped literal (::ffff:0:0) as the IPv4 address inside.
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xFF;
          mapped[11] = (byte) 0xFF;
          System.arraycopy(bytes, 0, mapped, 12, 4);
          return mapped;
        }
        return bytes;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address literal: " + address, e);
      }
    }
  }

  private record Block(Prefix prefix, String name, Reach reach) {
    @Override
    public String toString() {
      return prefix + " (" + name + ")";
    }
  }

  /** IANA's IPv6 Address Space registry allocates only this to global unicast. */
  private static final String OUTSIDE_GLOBAL_UNICAST = "outside 2000::/3 (Global Unicast)";

  private static final List<Block> BLOCKS =
      List.of(
          // IANA IPv4 Special-Purpose Address Registry. Not listed: 192.88.99.0/24, "Deprecated
          // (6to4 Relay Anycast)", terminated in 2015 with its columns left empty (but see .2).
          internal("0.0.0.0/8", "\"This network\""),
          internal("0.0.0.0/32", "\"This host on this network\""),
          internal("10.0.0.0/8", "Private-Use"),
          internal("100.64.0.0/10", "Shared Address Space"),
          internal("127.0.0.0/8", "Loopback"),
          internal("169.254.0.0/16", "Link Local"),
          internal("172.16.0.0/12", "Private-Use"),
          internal("192.0.0.0/24", "IETF Protocol Assignments"),
          internal("192.0.0.0/29", "IPv4 Service Continuity Prefix"),
          internal("192.0.0.8/32", "IPv4 dummy address"),
          global("192.0.0.9/32", "Port Control Protocol Anycast"),
          global("192.0.0.10/32", "Traversal Using Relays around NAT Anycast"),
          internal("192.0.0.170/32", "NAT64/DNS64 Discovery"),
          internal("192.0.0.171/32", "NAT64/DNS64 Discovery"),
          internal("192.0.2.0/24", "Documentation (TEST-NET-1)"),
          global("192.31.196.0/24", "AS112-v4"),
          global("192.52.193.0/24", "AMT"),
          internal("192.88.99.2/32", "6a44-relay anycast address"),
          internal("192.168.0.0/16", "Private-Use"),
          global("192.175.48.0/24", "Direct Delegation AS112 Service"),
          internal("198.18.0.0/15", "Benchmarking"),
          internal("198.51.100.0/24", "Documentation (TEST-NET-2)"),
          internal("203.0.113.0/24", "Documentation (TEST-NET-3)"),
          internal("240.0.0.0/4", "Reserved"),
          internal("255.255.255.255/32", "Limited Broadcast"),
          // IANA IPv4 Address Space registry.
          internal("224.0.0.0/4", "Multicast"),
          // IANA IPv6 Special-Purpose Address Registry.
          internal("::1/128", "Loopback Address"),
          internal("::/128", "Unspecified Address"),
          internal("::ffff:0:0/96", "IPv4-mapped Address"),
          new Block(Prefix.of("64:ff9b::/96"), "IPv4-IPv6 Translat.", Reach.EMBEDDED_IPV4),
          internal("64:ff9b:1::/48", "IPv4-IPv6 Translat."),
          internal("100::/64", "Discard-Only Address Block"),
          internal("100:0:0:1::/64", "Dummy IPv6 Prefix"),
          internal("2001::/23", "IETF Protocol Assignments"),
          // N/A in the registry; refused, as the IPv4 addresses inside are obfuscated.
          internal("2001::/32", "TEREDO"),
          global("2001:1::1/128", "Port Control Protocol Anycast"),
          global("2001:1::2/128", "Traversal Using Relays around NAT Anycast"),
          global("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast"),
          internal("2001:2::/48", "Benchmarking"),
          global("2001:3::/32", "AMT"),
          global("2001:4:112::/48", "AS112-v6"),
          // Terminated in 2014, so no longer an exception to 2001::/23.
          internal("2001:10::/28", "Deprecated (previously ORCHID)"),
          global("2001:20::/28", "ORCHIDv2"),
          global("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix"),
          internal("2001:db8::/32", "Documentation"),
          // N/A in the registry.
          new Block(Prefix.of("2002::/16"), "6to4", Reach.EMBEDDED_IPV4),
          global("2620:4f:8000::/48", "Direct Delegation AS112 Service"),
          internal("3fff::/20", "Documentation"),
          internal("5f00::/16", "Segment Routing (SRv6) SIDs"),
          internal("fc00::/7", "Unique-Local"),
          internal("fe80::/10", "Link-Local Unicast"),
          // IANA IPv6 Address Space registry: the rest of the space is refused as
          // OUTSIDE_GLOBAL_UNICAST; these few are named for a clearer refusal.
          global("2000::/3", "Global Unicast"),
          internal("ff00::/8", "Multicast"),
          internal("::/96", "IPv4-compatible Address, deprecated"),
          internal("::ffff:0:0:0/96", "IPv4-translated Address"));

  private AddressBlocks() {}

  /** Why a fetch may not connect to the address, or empty when it may. */
  static Optional<String> refusal(InetAddress address) {
    return reason(address).map(reason -> address.getHostAddress() + " is " + reason);
  }

  private static Optional<String> reason(InetAddress address) {
    byte[] bytes = address.getAddress();
    Optional<Block> block =
        BLOCKS.stream()
            .filter(b -> b.prefix().contains(bytes))
            .max(Comparator.comparingInt(b -> b.prefix().length()));
    if (block.isEmpty()) {
      return address instanceof Inet6Address
          ? Optional.of(OUTSIDE_GLOBAL_UNICAST)
          : Optional.empty();
    }
    Block b = block.get();
    return switch (b.reach()) {
      case GLOBAL -> Optional.empty();
      case INTERNAL -> Optional.of("in " + b);
      case EMBEDDED_IPV4 -> {
        InetAddress ipv4 = ipv4At(bytes, b.prefix().length() / 8);
        yield reason(ipv4)
            .map(
                inner ->
                    "in " + b + " with " + ipv4.getHostAddress() + " inside, which is " + inner);
      }
    };
  }

  private static InetAddress ipv4At(byte[] bytes, int offset) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static Block internal(String prefix, String name) {
    return new Block(Prefix.of(prefix), name, Reach.INTERNAL);
  }

  private static Block global(String prefix, String name) {
    return new Block(Prefix.of(prefix), name, Reach.GLOBAL);
  }
}
