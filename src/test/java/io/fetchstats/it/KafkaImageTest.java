package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The image of the Testcontainers tests comes from the build, at the clients' version; checked here
 * because without Docker those tests are skipped.
 */
class KafkaImageTest {
  @Test
  void theBuildNamesApacheKafkaAtTheVersionOfTheClients() {
    assertThat(KafkaImage.name()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }

  @Test
  void withoutThePropertyItFailsSayingWhatToSet() {
    String image = System.clearProperty(KafkaImage.PROPERTY);
    try {
      assertThatIllegalStateException()
          .isThrownBy(KafkaImage::name)
          .withMessageContaining("kafka.image is not set")
          .withMessageContaining("apache/kafka:${kafka.version}");
    } finally {
      if (image != null) {
        System.setProperty(KafkaImage.PROPERTY, image);
      }
    }
  }
}
