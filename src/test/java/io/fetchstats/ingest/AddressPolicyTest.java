package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  private final AddressPolicy strict = AddressPolicy.of(false);
  private final AddressPolicy open = AddressPolicy.of(true);

  /**
   * Every entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries (as of 2025-04, RFC
   * 9780): its block, name and "Globally Reachable", then what the policy does with the block's
   * first and last address. That is what the registry says, but where it says N/A, and for
   * 64:ff9b::/96, whose first and last address carry 0.0.0.0 and 255.255.255.255.
   */
  @ParameterizedTest(name = "{0} {1} ({2}): {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0.0.0.0/8            | "This network"                                     | False | refused
          0.0.0.0/32           | "This host on this network"                        | False | refused
          10.0.0.0/8           | Private-Use                                        | False | refused
          100.64.0.0/10        | Shared Address Space                               | False | refused
          127.0.0.0/8          | Loopback                                           | False | refused
          169.254.0.0/16       | Link Local                                         | False | refused
          172.16.0.0/12        | Private-Use                                        | False | refused
          192.0.0.0/24         | IETF Protocol Assignments                          | False | refused
          192.0.0.0/29         | IPv4 Service Continuity Prefix                     | False | refused
          192.0.0.8/32         | IPv4 dummy address                                 | False | refused
          192.0.0.9/32         | Port Control Protocol Anycast                      | True  | allowed
          192.0.0.10/32        | Traversal Using Relays around NAT Anycast          | True  | allowed
          192.0.0.170/32       | NAT64/DNS64 Discovery                              | False | refused
          192.0.0.171/32       | NAT64/DNS64 Discovery                              | False | refused
          192.0.2.0/24         | Documentation (TEST-NET-1)                         | False | refused
          192.31.196.0/24      | AS112-v4                                           | True  | allowed
          192.52.193.0/24      | AMT                                                | True  | allowed
          # Terminated 2015-03, its columns left empty.
          192.88.99.0/24       | Deprecated (6to4 Relay Anycast)                    |       | allowed
          192.88.99.2/32       | 6a44-relay anycast address                         | False | refused
          192.168.0.0/16       | Private-Use                                        | False | refused
          192.175.48.0/24      | Direct Delegation AS112 Service                    | True  | allowed
          198.18.0.0/15        | Benchmarking                                       | False | refused
          198.51.100.0/24      | Documentation (TEST-NET-2)                         | False | refused
          203.0.113.0/24       | Documentation (TEST-NET-3)                         | False | refused
          240.0.0.0/4          | Reserved                                           | False | refused
          255.255.255.255/32   | Limited Broadcast                                  | False | refused
          ::1/128              | Loopback Address                                   | False | refused
          ::/128               | Unspecified Address                                | False | refused
          ::ffff:0:0/96        | IPv4-mapped Address                                | False | refused
          64:ff9b::/96         | IPv4-IPv6 Translat.                                | True  | refused
          64:ff9b:1::/48       | IPv4-IPv6 Translat.                                | False | refused
          100::/64             | Discard-Only Address Block                         | False | refused
          100:0:0:1::/64       | Dummy IPv6 Prefix                                  | False | refused
          2001::/23            | IETF Protocol Assignments                          | False | refused
          2001::/32            | TEREDO                                             | N/A   | refused
          2001:1::1/128        | Port Control Protocol Anycast                      | True  | allowed
          2001:1::2/128        | Traversal Using Relays around NAT Anycast          | True  | allowed
          2001:1::3/128        | DNS-SD Service Registration Protocol Anycast       | True  | allowed
          2001:2::/48          | Benchmarking                                       | False | refused
          2001:3::/32          | AMT                                                | True  | allowed
          2001:4:112::/48      | AS112-v6                                           | True  | allowed
          # Terminated 2014-03, its columns left empty.
          2001:10::/28         | Deprecated (previously ORCHID)                     |       | refused
          2001:20::/28         | ORCHIDv2                                           | True  | allowed
          2001:30::/28         | Drone Remote ID Protocol Entity Tags (DETs) Prefix | True  | allowed
          2001:db8::/32        | Documentation                                      | False | refused
          # First and last carry 0.0.0.0 and 255.255.255.255.
          2002::/16            | 6to4                                               | N/A   | refused
          2620:4f:8000::/48    | Direct Delegation AS112 Service                    | True  | allowed
          3fff::/20            | Documentation                                      | False | refused
          5f00::/16            | Segment Routing (SRv6) SIDs                        | False | refused
          fc00::/7             | Unique-Local                                       | False | refused
          fe80::/10            | Link-Local Unicast                                 | False | refused
          """)
  void theRegistriesEntriesAreRefusedUnlessGloballyReachable(
      String block, String name, String globallyReachable, String outcome)
      throws UnknownHostException {
    for (InetAddress address : firstAndLast(block)) {
      if (outcome.equals("refused")) {
        assertThat(strict.refusal(address)).as("%s of %s", address, block).isPresent();
      } else {
        assertThat(strict.refusal(address)).as("%s of %s", address, block).isEmpty();
      }
      assertThat(open.refusal(address)).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.255",
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.255",
        "255.255.255.255",
        "198.18.0.1",
        "198.19.255.255",
        "192.0.0.8",
        "192.0.0.11",
        "240.0.0.1",
        "192.0.2.1",
        "198.51.100.1",
        "203.0.113.7",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "ff0e::1",
        "fec0::1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "::ffff:0:7f00:1",
        "::ffff:0:808:808",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::7f00:1",
        "64:ff9b::e000:1",
        "64:ff9b:1::808:808",
        "2002:7f00:1::1",
        "2002:a9fe:a9fe::",
        "2002:c000:22a::",
        "::127.0.0.1",
        "::10.0.0.1",
        "::8.8.8.8",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8::1",
        "3fff::1",
        "5f00::1",
        "100::1",
        "4000::1",
        "1000::1"
      })
  void internalAddressesAreRefusedByDefault(String address) throws UnknownHostException {
    InetAddress inet = InetAddress.getByName(address);

    assertThat(strict.refusal(inet)).isPresent();
    assertThat(open.refusal(inet)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "198.20.0.1",
        "192.0.1.1",
        "192.0.0.9",
        "192.88.99.1",
        "223.255.255.255",
        "::ffff:8.8.8.8",
        "2606:4700::1111",
        "2001:4860:4860::8888",
        "2001:200::1",
        "2620:4f:8000::1",
        "64:ff9b::808:808",
        "2002:808:808::1"
      })
  void publicAddressesAreAllowed(String address) throws UnknownHostException {
    assertThat(strict.refusal(InetAddress.getByName(address))).isEmpty();
  }

  @Test
  void anIpv4MappedAddressKeptAsIpv6IsRefusedAsTheRegistrySays() throws UnknownHostException {
    // The JDK turns ::ffff:a.b.c.d into an IPv4 address wherever it parses or resolves one.
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 8, 8, 8, 8};

    assertThat(strict.refusal(Inet6Address.getByAddress(null, mapped, -1)))
        .hasValueSatisfying(why -> assertThat(why).contains("::ffff:0:0/96 (IPv4-mapped Address)"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          203.0.113.7     | 203.0.113.7 is in 203.0.113.0/24 (Documentation (TEST-NET-3))
          192.0.0.11      | 192.0.0.11 is in 192.0.0.0/24 (IETF Protocol Assignments)
          192.0.0.8       | 192.0.0.8 is in 192.0.0.8/32 (IPv4 dummy address)
          0.0.0.0         | 0.0.0.0 is in 0.0.0.0/32 ("This host on this network")
          ::ffff:0:7f00:1 | 0:0:0:0:ffff:0:7f00:1 is in ::ffff:0:0:0/96 (IPv4-translated Address)
          2001:db8::1     | 2001:db8:0:0:0:0:0:1 is in 2001:db8::/32 (Documentation)
          4000::1         | 4000:0:0:0:0:0:0:1 is outside 2000::/3 (Global Unicast)
          64:ff9b::7f00:1 | 64:ff9b:0:0:0:0:7f00:1 is in 64:ff9b::/96 (IPv4-IPv6 Translat.) with 127.0.0.1 inside, which is in 127.0.0.0/8 (Loopback)
          2002:a9fe:1::   | 2002:a9fe:1:0:0:0:0:0 is in 2002::/16 (6to4) with 169.254.0.1 inside, which is in 169.254.0.0/16 (Link Local)
          """)
  void aRefusalNamesTheMostSpecificBlock(String address, String refusal)
      throws UnknownHostException {
    assertThat(strict.refusal(InetAddress.getByName(address))).contains(refusal);
  }

  /** The first and last address of a block, worked out here apart from the policy's own code. */
  private static List<InetAddress> firstAndLast(String block) throws UnknownHostException {
    String[] parts = block.split("/");
    InetAddress base = InetAddress.getByName(parts[0]);
    int bits = parts[0].contains(":") ? 128 : 32;
    BigInteger first = new BigInteger(1, base.getAddress());
    if (bits == 128 && base.getAddress().length == 4) {
      first = first.or(BigInteger.valueOf(0xFFFFL).shiftLeft(32)); // ::ffff:0:0, read as IPv4
    }
    BigInteger hosts = BigInteger.ONE.shiftLeft(bits - Integer.parseInt(parts[1]));
    BigInteger last = first.add(hosts).subtract(BigInteger.ONE);
    return List.of(address(first, bits), address(last, bits));
  }

  private static InetAddress address(BigInteger value, int bits) throws UnknownHostException {
    byte[] bytes = new byte[bits / 8];
    byte[] magnitude = value.toByteArray();
    int length = Math.min(magnitude.length, bytes.length);
    System.arraycopy(magnitude, magnitude.length - length, bytes, bytes.length - length, length);
    return InetAddress.getByAddress(bytes);
  }
}
