package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The WHATWG URL Standard's IPv4 host parser, as browsers and curl read a host. */
class Ipv4HostTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "0x7f.1, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "0300.0250.0001.0001, 192.168.1.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "127.0.0.1., 127.0.0.1",
    "0177.0.0.1., 127.0.0.1",
    "10.0.0.010, 10.0.0.8",
    "0, 0.0.0.0",
    "0x, 0.0.0.0",
    "1.2.3.0x, 1.2.3.0",
    "00, 0.0.0.0",
    "4294967295, 255.255.255.255",
    "0xffffffff, 255.255.255.255",
    "037777777777, 255.255.255.255",
    "1.16777215, 1.255.255.255",
    "1.2.65535, 1.2.255.255",
    "255.255.255.255, 255.255.255.255"
  })
  void ipv4HostsAreReadAsBrowsersReadThem(String host, String dotted) {
    assertThat(Ipv4Host.canonical(host)).contains(dotted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3.256",
        "256.1.1.1",
        "1.2.3.4.5",
        "1.2.3.4.5.",
        "0x100000000",
        "4294967296",
        "99999999999999999999999",
        "0x10000000000000000000",
        "1.16777216",
        "1.2.65536",
        "09",
        "08.1.1.1",
        "1.2.3.09",
        "0x1g.1",
        "example.1",
        "example.0x1",
        "example.09",
        "1.2.x.4",
        "1..4"
      })
  void aHostThatEndsInANumberButIsNoIpv4AddressIsInvalid(String host) {
    assertThat(Ipv4Host.canonical(host)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "example.com.",
        "localhost",
        "1.2.3.example",
        "1.2.3.4x",
        "1.2.3.0xg1",
        "0x7f.1.example",
        "0xg",
        "x1",
        "::1",
        "64:ff9b::7f00:1",
        "::ffff:0:7f00:1"
      })
  void otherHostsAreLeftAsTheyAre(String host) {
    assertThat(Ipv4Host.canonical(host)).contains(host);
  }
}
