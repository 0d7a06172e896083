package io.fetchstats.samples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's generated data: CSV files of measurements (with a date and a city column that are
 * counted but never summed) and plain-text files of numbers, plus two URLs that fail on purpose.
 * The same seed always gives the same bytes.
 */
public final class SampleData {
  public static final int CSV_FILES = 12;
  public static final int TEXT_FILES = 10;
  private static final String[] CITIES = {"Lisbon", "Oslo", "Quito", "Nairobi", "Osaka", "Perth"};

  private SampleData() {}

  /** Path to resource of every sample the server has. */
  public static Map<String, SampleServer.Resource> resources(long seed) {
    Map<String, SampleServer.Resource> resources = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 1; i <= CSV_FILES; i++) {
      resources.put(
          csvPath(i), new SampleServer.Resource("text/csv", csv(random.split(), 2_000 + 500 * i)));
    }
    for (int i = 1; i <= TEXT_FILES; i++) {
      resources.put(
          textPath(i),
          new SampleServer.Resource("text/plain", text(random.split(), 5_000 + 1_000 * i)));
    }
    resources.put(
        "/samples/notes.txt",
        new SampleServer.Resource("text/plain", utf8("These notes hold no numbers at all.\n")));
    return resources;
  }

  /**
   * The demo job's URLs against a sample server at {@code baseUrl}: every sample, plus a missing
   * one.
   */
  public static List<String> urls(String baseUrl) {
    List<String> urls = new ArrayList<>();
    for (int i = 1; i <= CSV_FILES; i++) {
      urls.add(baseUrl + csvPath(i));
    }
    for (int i = 1; i <= TEXT_FILES; i++) {
      urls.add(baseUrl + textPath(i));
    }
    urls.add(baseUrl + "/samples/notes.txt");
    urls.add(baseUrl + "/samples/missing.csv");
    return urls;
  }

  private static String csvPath(int i) {
    return String.format(Locale.ROOT, "/samples/measurements-%02d.csv", i);
  }

  private static String textPath(int i) {
    return String.format(Locale.ROOT, "/samples/readings-%02d.txt", i);
  }

  private static byte[] csv(SplittableRandom random, int rows) {
    StringBuilder out = new StringBuilder("date,city,temperature,humidity,pressure,wind_speed\n");
    for (int row = 0; row < rows; row++) {
      out.append(
              String.format(
                  Locale.ROOT, "2026-%02d-%02d,", 1 + random.nextInt(12), 1 + random.nextInt(28)))
          .append(CITIES[random.nextInt(CITIES.length)])
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", random.nextDouble(-20, 40)))
          .append(',');
      if (random.nextInt(50) != 0) { // now and then a reading is missing
        out.append(String.format(Locale.ROOT, "%.1f", random.nextDouble(5, 100)));
      }
      out.append(',')
          .append(String.format(Locale.ROOT, "%.1f", random.nextDouble(960, 1050)))
          .append(',')
          .append(
              String.format(Locale.ROOT, "%.3f", random.nextDouble() * random.nextDouble() * 30))
          .append('\n');
    }
    return utf8(out.toString());
  }

  private static byte[] text(SplittableRandom random, int values) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values; i++) {
      out.append(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * 15 + 100));
      out.append(i % 10 == 9 ? '\n' : ' ');
    }
    return utf8(out.toString());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
