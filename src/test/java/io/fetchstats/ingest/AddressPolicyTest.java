package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  private final AddressPolicy strict = AddressPolicy.of(false);
  private final AddressPolicy open = AddressPolicy.of(true);

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
        "255.255.255.255",
        "198.18.0.1",
        "198.19.255.255",
        "192.0.0.8",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::7f00:1",
        "2002:7f00:1::1",
        "2002:a9fe:a9fe::",
        "::127.0.0.1",
        "::10.0.0.1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2"
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
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "198.20.0.1",
        "192.0.1.1",
        "2606:4700::1111",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "2001:db8::1"
      })
  void publicAddressesAreAllowed(String address) throws UnknownHostException {
    assertThat(strict.refusal(InetAddress.getByName(address))).isEmpty();
  }
}
