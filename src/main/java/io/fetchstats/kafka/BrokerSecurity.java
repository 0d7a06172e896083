package io.fetchstats.kafka;

import java.util.List;
import java.util.Map;

/**
 * TLS and SASL/SCRAM-SHA-512 for the embedded broker, as production clusters are secured: its one
 * listener for clients (and for itself) is {@code SASL_SSL}; the controller's stays plaintext on
 * loopback. No authorizer: any authenticated user may do anything.
 *
 * @param certificateChainPem the broker's certificate (for the host name {@code localhost}) and its
 *     issuers, PEM
 * @param privateKeyPem the certificate's private key, unencrypted PKCS#8 PEM
 * @param trustedCertificatesPem what the broker trusts when it connects to itself, PEM
 * @param user a SCRAM user, created when the log directory is formatted; the broker logs in as it
 * @param password the user's password; like the name, a plain word, as it goes through the format
 *     tool's {@code [name=...,password=...]} syntax and a JAAS line
 */
public record BrokerSecurity(
    String certificateChainPem,
    String privateKeyPem,
    String trustedCertificatesPem,
    String user,
    String password) {
  static final String LISTENER = "SASL_SSL";
  static final String MECHANISM = "SCRAM-SHA-512";

  /** Names the user only: the key and password stay out of logs and assertion messages. */
  @Override
  public String toString() {
    return "BrokerSecurity[" + MECHANISM + " user " + user + "]";
  }

  /** The user's credentials for the format tool (they live in the cluster metadata). */
  List<String> scramArguments() {
    return List.of(MECHANISM + "=[name=" + user + ",password=" + password + "]");
  }

  /** The broker's TLS and SASL settings, the listener's name and protocol aside. */
  Map<String, String> brokerProperties() {
    return Map.of(
        "sasl.enabled.mechanisms",
        MECHANISM,
        "sasl.mechanism.inter.broker.protocol",
        MECHANISM,
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        jaasConfig(user, password),
        "ssl.keystore.type",
        "PEM",
        "ssl.keystore.certificate.chain",
        certificateChainPem,
        "ssl.keystore.key",
        privateKeyPem,
        "ssl.truststore.type",
        "PEM",
        "ssl.truststore.certificates",
        trustedCertificatesPem);
  }

  private static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }
}
