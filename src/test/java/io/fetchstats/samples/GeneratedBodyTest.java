package io.fetchstats.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.samples.GeneratedBody.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GeneratedBodyTest {
  private static final int BIG = 3 * 1024 * 1024; // a dozen blocks
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NUMBER_2 = "-?[0-9]+\\.[0-9]{2}";
  private static final String NUMBER_3 = "-?[0-9]+\\.[0-9]{3}";

  @ParameterizedTest
  @EnumSource(Kind.class)
  void eachSizeIsTheLargestRunOfWholeRecordsThatFits(Kind kind) {
    GeneratedBody data = GeneratedBody.of(kind, 7);
    byte[] big = data.bytes(BIG);
    int[] ends = recordEnds(kind, big);

    int record = 0;
    long firstWrong = -1;
    for (int max = 0; max <= BIG && firstWrong < 0; max++) {
      while (record + 1 < ends.length && ends[record + 1] <= max) {
        record++;
      }
      if (data.length(max) != ends[record]) {
        firstWrong = max;
      }
    }
    assertThat(firstWrong).as("the first size with a wrong length").isEqualTo(-1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void eachBodyIsTheBiggestBodyCutAtARecordAndClosed(Kind kind) {
    GeneratedBody data = GeneratedBody.of(kind, 7);
    byte[] big = data.bytes(BIG);
    byte[] last = ascii(kind == Kind.JSON ? "]\n" : "\n");

    for (long max : sizes(data, recordEnds(kind, big))) {
      byte[] body = data.bytes(max);
      int cut = body.length - last.length;
      assertThat(Arrays.equals(body, 0, cut, big, 0, cut)).as("start for %d bytes", max).isTrue();
      assertThat(Arrays.copyOfRange(body, cut, body.length)).isEqualTo(last);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers(Kind kind) {
    assertThat(GeneratedBody.of(kind, 42).bytes(100_000))
        .isEqualTo(GeneratedBody.of(kind, 42).bytes(100_000))
        .isNotEqualTo(GeneratedBody.of(kind, 43).bytes(100_000));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aGibibyteCostsNoMoreThanABlock(Kind kind) throws IOException {
    long gibibyte = 1L << 30;
    Body body = GeneratedBody.of(kind, 1).body(gibibyte);
    AtomicLong written = new AtomicLong();
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) {
            written.incrementAndGet();
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            written.addAndGet(length);
          }
        };

    body.write(counting, 0, body.length());

    assertThat(written.get()).isEqualTo(body.length()).isBetween(gibibyte - 200, gibibyte);
    assertThat(body.block().length).isLessThan(GeneratedBody.BLOCK_BYTES + 200);
  }

  @Test
  void textIsLinesOfTenNumbers() {
    for (String line : lines(GeneratedBody.of(Kind.TEXT, 3).bytes(BIG))) {
      assertThat(line).matches("-?[0-9]+\\.[0-9]{4}( -?[0-9]+\\.[0-9]{4}){9}");
    }
  }

  @Test
  void csvAndTsvAreAHeaderThenRowsOfNumbersAndAWord() {
    List<String> csv = lines(GeneratedBody.of(Kind.CSV, 3).bytes(BIG));
    List<String> tsv = lines(GeneratedBody.of(Kind.TSV, 3).bytes(BIG));

    assertThat(csv.get(0)).isEqualTo("id,value,score,label");
    assertThat(tsv.get(0)).isEqualTo("id\tvalue\tscore\tlabel");
    assertThat(csv.subList(1, csv.size()))
        .allMatch(
            Pattern.compile("[0-9]+," + NUMBER_2 + "," + NUMBER_3 + ",[a-z]+").asMatchPredicate());
    assertThat(tsv.subList(1, tsv.size()))
        .allMatch(
            Pattern.compile("[0-9]+\t" + NUMBER_2 + "\t" + NUMBER_3 + "\t[a-z]+")
                .asMatchPredicate());
  }

  @Test
  void ndjsonIsOneObjectALine() throws IOException {
    for (String line : lines(GeneratedBody.of(Kind.NDJSON, 3).bytes(BIG))) {
      assertRecord(JSON.readTree(line));
    }
  }

  @Test
  void jsonIsAnArrayOfObjectsWhateverTheSize() throws IOException {
    GeneratedBody data = GeneratedBody.of(Kind.JSON, 3);
    for (long max : List.of(0L, 1L, 60L, 1_000L, 262_144L, (long) BIG)) {
      JsonNode array = JSON.readTree(data.bytes(max));

      assertThat(array.isArray()).as("array for %d bytes", max).isTrue();
      assertThat(array.size()).isPositive();
      for (JsonNode record : array) {
        assertRecord(record);
      }
    }
  }

  @Test
  void aSizeTooSmallForOneRecordStillGetsOne() {
    assertThat(GeneratedBody.of(Kind.CSV, 0).bytes(0))
        .asString(StandardCharsets.US_ASCII)
        .matches("id,value,score,label\n[^\n]+\n");
    assertThat(GeneratedBody.of(Kind.JSON, 0).bytes(0))
        .asString(StandardCharsets.US_ASCII)
        .matches("\\[\\{[^\n]+}]\n");
  }

  private static void assertRecord(JsonNode record) {
    assertThat(record.size()).isEqualTo(4);
    assertThat(record.get("id").isInt()).isTrue();
    assertThat(record.get("value").isNumber()).isTrue();
    assertThat(record.get("score").isNumber()).isTrue();
    assertThat(record.get("label").textValue()).matches("[a-z]+");
  }

  /** Offsets just past each record: every line ends one, but for the CSV and TSV header. */
  private static int[] recordEnds(Kind kind, byte[] body) {
    boolean header = kind == Kind.CSV || kind == Kind.TSV;
    List<Integer> ends = new ArrayList<>();
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        if (header) {
          header = false;
        } else {
          ends.add(i + 1);
        }
      }
    }
    return ends.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Sizes to check: tiny ones, each record end and its neighbours near the first three joins of
   * blocks, and random ones.
   */
  private static Set<Long> sizes(GeneratedBody data, int[] ends) {
    Set<Long> sizes = new TreeSet<>(List.of(0L, 1L, 2L, 50L, ends[0] - 1L, (long) ends[0]));
    Body body = data.body(0);
    for (int join = 1; join <= 3; join++) {
      long at = body.head().length + (long) join * body.block().length;
      for (int end : ends) {
        if (Math.abs(end - at) < 300) {
          sizes.addAll(List.of(end - 1L, (long) end, end + 1L));
        }
      }
    }
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 50; i++) {
      sizes.add(random.nextLong(BIG));
    }
    return sizes;
  }

  private static List<String> lines(byte[] body) {
    return List.of(new String(body, StandardCharsets.US_ASCII).split("\n"));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
