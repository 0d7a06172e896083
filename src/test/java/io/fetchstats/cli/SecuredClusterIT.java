package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.BrokerSecurity;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.samples.SampleServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pipeline on a cluster secured as production ones are (SASL_SSL, SCRAM-SHA-512), with the
 * clients configured as a user does: a {@code --kafka-config} file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SecuredClusterIT {
  private static final String PASSWORD = "scramPassw0rd";
  private static final String TRUSTSTORE_PASSWORD = "trustPassw0rd";
  private static final String PREFIX = "secured.";

  private Path dir;
  private EmbeddedKafka broker;
  private SampleServer http;
  private Path clientConfig;
  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    HeldCertificate ca =
        new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("fetchstats test CA")
            .build();
    HeldCertificate server =
        new HeldCertificate.Builder()
            .signedBy(ca)
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .build();
    broker =
        EmbeddedKafka.start(
            dir.resolve("broker"),
            EmbeddedKafka.anyFreePort(),
            new BrokerSecurity(
                server.certificatePem() + ca.certificatePem(),
                server.privateKeyPkcs8Pem(),
                ca.certificatePem(),
                "fetchstats",
                PASSWORD));

    // The client trusts the CA through a password-protected PKCS#12 truststore, as keytool makes.
    Path truststore = writeTruststore("truststore.p12", ca.certificate());
    clientConfig = writeClientConfig("client.properties", truststore, PASSWORD);

    http =
        SampleServer.start(
            Map.of(
                "/n.csv",
                new SampleServer.Resource(
                    "text/csv", "x\n1\n2\n3\n4\n".getBytes(StandardCharsets.UTF_8))));
  }

  private Path writeTruststore(String name, X509Certificate trusted) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", trusted);
    Path path = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(path)) {
      store.store(file, TRUSTSTORE_PASSWORD.toCharArray());
    }
    return path;
  }

  private Path writeClientConfig(String name, Path truststore, String password) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        String.join(
            "\n",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
            "  username=\"fetchstats\" password=\"" + password + "\";",
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.location=" + truststore,
            "ssl.truststore.password=" + TRUSTSTORE_PASSWORD,
            ""));
  }

  @AfterAll
  void stop() {
    if (http != null) {
      http.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** Runs a command as a user does, against the secured broker, in an empty environment. */
  private int run(Path kafkaConfig, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--kafka-config",
            kafkaConfig.toString(),
            "--topic-prefix",
            PREFIX));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void aJobRunsEndToEndOverSaslSsl() throws Exception {
    assertThat(run(clientConfig, "topics", "create")).as(err::toString).isZero();
    assertThat(out.toString()).startsWith("Created: ");

    // The ingest and process stages, configured by the same options the CLI parses.
    KafkaOptions kafka =
        Main.populate(
            new KafkaOptions(),
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--kafka-config",
            clientConfig.toString(),
            "--topic-prefix",
            PREFIX);
    FetchStatsConfig config =
        ConfigPart.config(kafka).toBuilder()
            .dataDir(dir.resolve("pipeline"))
            .instanceId("secured")
            .fetch(fetch -> fetch.allowPrivateNetworks(true))
            .build();
    try (Pipeline pipeline = Pipeline.start(config)) {
      assertThat(
              run(
                  clientConfig,
                  "submit",
                  "--job-id",
                  "secured-job",
                  "--url",
                  http.baseUrl() + "/n.csv",
                  "--wait",
                  "--json",
                  "--timeout",
                  "PT60S"))
          .as(err::toString)
          .isZero();
      JsonNode submitted = new ObjectMapper().readTree(out.toString());
      assertThat(submitted.get("complete").asBoolean()).isTrue();
      assertThat(submitted.get("urlsSucceeded").asInt()).isEqualTo(1);
      assertThat(pipeline.stoppedStages()).isEmpty();
    }

    assertThat(run(clientConfig, "results", "secured-job", "--json")).as(err::toString).isZero();
    JsonNode field = new ObjectMapper().readTree(out.toString()).get("fields").get(0);
    assertThat(field.get("name").asText()).isEqualTo("x");
    assertThat(field.get("count").asLong()).isEqualTo(4);
    assertThat(field.get("sum").asDouble()).isEqualTo(10.0);
  }

  @Test
  void configShowsTheSettingsButNotTheSecrets() {
    assertThat(run(clientConfig, "config")).as(err::toString).isZero();

    assertThat(out.toString())
        .contains("security.protocol = SASL_SSL")
        .contains("sasl.mechanism = SCRAM-SHA-512")
        .contains("sasl.jaas.config = " + ConfigCommand.MASK)
        .contains("ssl.truststore.password = " + ConfigCommand.MASK)
        .contains("ssl.truststore.location = " + dir.resolve("truststore.p12"))
        .doesNotContain(PASSWORD)
        .doesNotContain(TRUSTSTORE_PASSWORD);
  }

  @Test
  void aWrongPasswordFailsAtOnceWithOneLine() throws Exception {
    Path wrong = writeClientConfig("wrong.properties", dir.resolve("truststore.p12"), "notIt");

    for (String[] command :
        List.of(
            new String[] {"topics", "describe"},
            new String[] {"submit", "--job-id", "refused", "--url", http.baseUrl() + "/n.csv"},
            new String[] {"results", "any-job"})) {
      assertThat(run(wrong, command)).as(err::toString).isEqualTo(Main.FAILED);
      assertThat(err.toString().lines())
          .as(String.join(" ", command))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("check the TLS and SASL settings")
                      .contains("invalid credentials with SASL mechanism SCRAM-SHA-512")
                      .doesNotContain("notIt"));
    }
  }

  @Test
  void aBrokerWithAnUntrustedCertificateFailsAtOnceWithOneLineThatSaysWhy() throws Exception {
    HeldCertificate otherCa = new HeldCertificate.Builder().certificateAuthority(0).build();
    Path untrusting =
        writeClientConfig(
            "untrusting.properties", writeTruststore("other.p12", otherCa.certificate()), PASSWORD);

    assertThat(run(untrusting, "topics", "describe")).as(err::toString).isEqualTo(Main.FAILED);
    assertThat(err.toString().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("check the TLS and SASL settings")
                    .contains("SSL handshake failed")
                    .contains("unable to find valid certification path"));
  }
}
