package io.fetchstats.it;

/** The Kafka image of the Testcontainers tests, as the build names it. */
final class KafkaImage {
  /** The system property the pom sets for Surefire and Failsafe. */
  static final String PROPERTY = "kafka.image";

  private KafkaImage() {}

  /**
   * The image named by {@value #PROPERTY}: {@code apache/kafka} at the version of the Kafka
   * clients, from the pom's {@code kafka.version}, so that the container runs the broker the code
   * is built against.
   *
   * @throws IllegalStateException if the property is not set (the tests were not started by Maven):
   *     naming an image here would let it drift from the clients again
   */
  static String name() {
    String image = System.getProperty(PROPERTY);
    if (image == null || image.isBlank()) {
      throw new IllegalStateException(
          "The system property "
              + PROPERTY
              + " is not set: the pom sets it to apache/kafka:${kafka.version} for Surefire and"
              + " Failsafe. Run the tests with ./mvnw, or pass -D"
              + PROPERTY
              + "=apache/kafka:<version>.");
    }
    return image;
  }
}
