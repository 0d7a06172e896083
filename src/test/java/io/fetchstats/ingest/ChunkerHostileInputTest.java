package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.Format;
import io.fetchstats.parse.HostileBytes;
import io.fetchstats.parse.JsonParser;
import io.fetchstats.parse.ParseContract;
import io.fetchstats.parse.ParseReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The chunker fed bodies no server should send, in writes of any size: it either cuts them into
 * chunks that fit and parse, or refuses them as documented, a record too long or (JSON) broken
 * before any place to cut; and it calls JSON broken exactly where the processor's parser would.
 */
class ChunkerHostileInputTest {

  /** A body served as {@code format}, shown as a string literal would show it. */
  record Served(Format format, byte[] body) {
    @Override
    public String toString() {
      return format + " " + HostileBytes.show(body, 0, body.length);
    }
  }

  /** One chunk as the sink received it. */
  private record Emitted(int seq, Format format, String header, byte[] data) {}

  /** What the chunker did with a body: the chunks it emitted, and how it refused, if it did. */
  private record Chunked(List<Emitted> chunks, int written, RuntimeException refused) {}

  @Property(tries = 10_000, seed = "6666")
  void anyBodyIsCutIntoChunksThatFitAndParseOrRefusedAsDocumented(
      @ForAll("served") Served served,
      @ForAll @IntRange(min = 4, max = 160) int chunkSize,
      @ForAll("writeSizes") List<Integer> writeSizes) {
    Format format = served.format();
    byte[] body = served.body();
    Chunked run = chunk(format, body, chunkSize, writeSizes);

    List<ParseReport> reports = new ArrayList<>();
    for (int i = 0; i < run.chunks().size(); i++) {
      Emitted chunk = run.chunks().get(i);
      assertThat(chunk.seq()).isEqualTo(i);
      assertThat(chunk.format()).isEqualTo(format);
      assertThat(chunk.data().length).isBetween(1, chunkSize);
      reports.add(
          ParseContract.parse(format, chunk.data(), 0, chunk.data().length, chunk.header(), i == 0)
              .report());
    }
    if (format == Format.JSON) {
      checkJson(body, run, reports);
    } else {
      if (run.refused() != null) {
        assertThat(run.refused()).isInstanceOf(Chunker.RecordTooLongException.class);
      }
      // Cut, never changed: the chunks are the body, or its start if it was refused, but for the
      // blank lines before a CSV header that a chunk would have held alone.
      byte[] joined = join(run.chunks());
      int dropped = run.refused() == null ? body.length - joined.length : indexOf(body, joined);
      assertThat(dropped).isNotNegative();
      assertThat(Arrays.copyOfRange(body, dropped, dropped + joined.length)).isEqualTo(joined);
      if (dropped > 0) {
        assertThat(format.isDelimited()).isTrue();
        assertThat(parserCallsBlank(new String(body, 0, dropped, StandardCharsets.UTF_8))).isTrue();
      }
    }
  }

  @Property(tries = 3_000, seed = "7777")
  void theChunksOfAnyBodyParseToWhatTheWholeBodyParsesTo(
      @ForAll("served") Served served,
      @ForAll @IntRange(min = 0, max = 40) int blankLines,
      @ForAll @IntRange(min = 8, max = 160) int chunkSize,
      @ForAll("writeSizes") List<Integer> writeSizes) {
    Format format = served.format();
    byte[] body =
        concat(List.of(" \r\n".repeat(blankLines).getBytes(StandardCharsets.UTF_8), served.body()));
    Chunked whole = chunk(format, body, 1 << 20, List.of(body.length + 1));
    Chunked cut = chunk(format, body, chunkSize, writeSizes);
    if (cut.refused() != null) {
      return; // a record too long, or JSON broken: the other property's
    }
    // Left alone: a first row that the CSV parser calls blank (only a byte order mark, a CR or
    // Unicode spaces) makes every chunk take its own first row for the header.
    Assume.that(
        !format.isDelimited()
            || whole.chunks().isEmpty()
            || !parserCallsBlank(whole.chunks().get(0).header()));
    Parsed parsedWhole = parse(whole.chunks());
    Parsed parsedCut = parse(cut.chunks());
    // Broken JSON: the chunks break off in other places (the other property checks how).
    if (format == Format.JSON && parsedWhole.error()) {
      return;
    }
    assertThat(parsedCut).isEqualTo(parsedWhole);
  }

  private static boolean parserCallsBlank(String header) {
    return header.replaceFirst("^\uFEFF", "").isBlank();
  }

  /** The cells of a body's chunks, in order and by field name, and their rows and bad rows. */
  private record Parsed(
      List<ParseContract.Call> cells, long rows, long raggedRows, boolean error) {}

  private static Parsed parse(List<Emitted> chunks) {
    List<ParseContract.Call> cells = new ArrayList<>();
    long rows = 0;
    long ragged = 0;
    boolean error = false;
    for (Emitted c : chunks) {
      ParseContract.Parsed p =
          ParseContract.parse(c.format(), c.data(), 0, c.data().length, c.header(), c.seq() == 0);
      p.calls().stream().filter(call -> !call.kind().equals("field")).forEach(cells::add);
      rows += p.report().rows();
      ragged += p.report().raggedRows();
      error |= p.report().error() != null;
    }
    return new Parsed(cells, rows, ragged, error);
  }

  private static Chunked chunk(
      Format format, byte[] body, int chunkSize, List<Integer> writeSizes) {
    List<Emitted> chunks = new ArrayList<>();
    Chunker chunker =
        new Chunker(
            format,
            chunkSize,
            (seq, f, header, data) -> chunks.add(new Emitted(seq, f, header, data)));
    int written = 0; // by the writes that returned
    try {
      for (int i = 0; written < body.length; i++) {
        int n = Math.min(writeSizes.get(i % writeSizes.size()), body.length - written);
        chunker.write(body, written, n);
        written += n;
      }
      chunker.finish();
    } catch (Chunker.RecordTooLongException | Chunker.MalformedException e) {
      return new Chunked(chunks, written, e);
    }
    return new Chunked(chunks, written, null);
  }

  /**
   * A JSON chunk after the first starts with the containers it re-opens, its header. While the
   * chunks are valid, the chunker calls the body broken exactly as the parser does, and refuses a
   * record as too long only if what it was given is the start of a document.
   */
  private static void checkJson(byte[] body, Chunked run, List<ParseReport> reports) {
    List<Emitted> chunks = run.chunks();
    RuntimeException refused = run.refused();
    for (Emitted chunk : chunks.subList(Math.min(1, chunks.size()), chunks.size())) {
      byte[] reopened = chunk.header().getBytes(StandardCharsets.ISO_8859_1);
      assertThat(Arrays.copyOf(chunk.data(), reopened.length)).isEqualTo(reopened);
    }
    if (reports.stream().anyMatch(r -> r.error() != null)) {
      return; // broken in a chunk already: the processor says where
    }
    if (refused instanceof Chunker.MalformedException) {
      ParseReport whole =
          ParseContract.parse(Format.JSON, body, 0, body.length, null, true).report();
      assertThat(refused).hasMessage(whole.error());
    } else if (refused != null) {
      assertThat(JsonParser.breakWithin(body, 0, run.written()))
          .as("a record too long in a broken body")
          .isNull();
    }
  }

  /**
   * Mostly a body of the format served, damaged or not, or cut short and followed by garbage (most
   * of it without a comma, so a JSON body breaks where no cut can hide it); else any body at all.
   */
  @Provide
  Arbitrary<Served> served() {
    return Arbitraries.of(Format.class)
        .flatMap(
            format ->
                Arbitraries.frequencyOf(
                        Tuple.of(3, HostileBytes.damaged(format, 60)),
                        Tuple.of(1, garbageAfter(HostileBytes.damaged(format, 60))),
                        Tuple.of(2, HostileBytes.bodies(300)))
                    .map(body -> new Served(format, body)));
  }

  private static Arbitrary<byte[]> garbageAfter(Arbitrary<byte[]> bodies) {
    return Combinators.combine(
            bodies, Arbitraries.integers().greaterOrEqual(0), HostileBytes.randomBytes(200))
        .as(
            (body, at, garbage) -> {
              byte[] cut = Arrays.copyOf(body, at % (body.length + 1) + garbage.length);
              System.arraycopy(garbage, 0, cut, cut.length - garbage.length, garbage.length);
              return cut;
            });
  }

  @Provide
  Arbitrary<List<Integer>> writeSizes() {
    return Arbitraries.integers().between(1, 200).list().ofMinSize(1).ofMaxSize(8);
  }

  private static byte[] join(List<Emitted> chunks) {
    return concat(chunks.stream().map(Emitted::data).toList());
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Where {@code part} first occurs in {@code whole}, or -1. */
  private static int indexOf(byte[] whole, byte[] part) {
    for (int i = 0; i + part.length <= whole.length; i++) {
      if (Arrays.equals(whole, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }
}
