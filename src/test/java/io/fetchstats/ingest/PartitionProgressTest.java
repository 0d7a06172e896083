package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

  @Test
  void nothingReachedCommitsNothing() {
    assertThat(PartitionProgress.resume(null).commitPoint()).isNull();
  }

  @Test
  void aRecordWhollyDoneCommitsPastIt() {
    PartitionProgress progress = PartitionProgress.resume(null);
    progress.reach(5);
    progress.started(5, 0);
    progress.started(5, 1);
    progress.passed(5);
    progress.done(5, 1);
    progress.done(5, 0);

    assertThat(progress.commitPoint()).isEqualTo(new OffsetAndMetadata(6));
  }

  @Test
  void openRequestsAndTheFrontierAreCommittedRelativeToTheFirstRecordNotDone() {
    PartitionProgress progress = PartitionProgress.resume(new OffsetAndMetadata(5));
    progress.reach(5);
    for (int line = 0; line < 40; line++) {
      progress.started(5, line);
    }
    for (int line = 0; line < 40; line++) {
      if (line != 3 && line != 39) {
        progress.done(5, line);
      }
    }

    // Line 3 and 39 (base 36: 13) are open; lines from 40 (14) on are not started.
    assertThat(progress.commitPoint()).isEqualTo(new OffsetAndMetadata(5, "fs2;0.14;+3,+10"));
  }

  @Test
  void aResumePointOfTheFormerFormatResumesAtItsLine() {
    PartitionProgress progress =
        PartitionProgress.resume(new OffsetAndMetadata(5, "fetchstats.line=3"));

    assertThat(progress.reached(5)).isTrue();
    assertThat(progress.toFetch(5, 2)).isFalse();
    assertThat(progress.toFetch(5, 3)).isTrue();
    assertThat(progress.reached(6)).isFalse();
  }

  @Test
  void aPlainOffsetResumesAtItsRecordNotYetReached() {
    PartitionProgress progress = PartitionProgress.resume(new OffsetAndMetadata(5));

    assertThat(progress.reached(4)).isTrue();
    assertThat(progress.reached(5)).isFalse();
    assertThat(progress.toFetch(5, 0)).isTrue();
  }

  /**
   * Requests started in order (records of up to 30 lines, some with none) and done in any order:
   * resumed from the commit point, exactly those not done are to fetch, and exactly the records
   * reached count as reached.
   */
  @Property(tries = 300)
  void resumingFromACommitFetchesExactlyWhatWasNotDone(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 30) Integer> linesPerRecord,
      @ForAll @IntRange(min = 0, max = 400) int toStart,
      @ForAll long seed) {
    Random random = new Random(seed);
    long firstOffset = 100;
    PartitionProgress progress = PartitionProgress.resume(new OffsetAndMetadata(firstOffset));
    List<long[]> started = new ArrayList<>();
    long lastReached = firstOffset - 1;
    walk:
    for (int record = 0; record < linesPerRecord.size(); record++) {
      long offset = firstOffset + 2L * record; // offsets have gaps (transaction markers)
      progress.reach(offset);
      lastReached = offset;
      for (int line = 0; line < linesPerRecord.get(record); line++) {
        if (started.size() == toStart) {
          break walk;
        }
        progress.started(offset, line);
        started.add(new long[] {offset, line});
      }
      progress.passed(offset);
    }
    Set<String> done = new HashSet<>();
    for (long[] position : started) {
      if (random.nextInt(4) != 0) {
        progress.done(position[0], (int) position[1]);
        done.add(position[0] + ":" + position[1]);
      }
    }

    OffsetAndMetadata committed = progress.commitPoint();
    assertThat(committed.metadata().length()).isLessThan(4096);
    PartitionProgress resumed = PartitionProgress.resume(committed);

    for (int record = 0; record < linesPerRecord.size(); record++) {
      long offset = firstOffset + 2L * record;
      if (offset < committed.offset()) {
        continue; // not read again
      }
      assertThat(resumed.reached(offset))
          .as("record %d reached", offset)
          .isEqualTo(offset <= lastReached);
      for (int line = 0; line < linesPerRecord.get(record); line++) {
        assertThat(resumed.toFetch(offset, line))
            .as("%d:%d to fetch", offset, line)
            .isEqualTo(!done.contains(offset + ":" + line));
      }
    }
  }

  @Test
  void theMostRequestsOpenAtOnceFitTheBrokersMetadataLimit() {
    PartitionProgress progress = PartitionProgress.resume(null);
    long offset = 0;
    for (int i = 0; i < PartitionProgress.MAX_OPEN; i++) {
      offset += 1_000; // far apart records, one long line number each
      progress.reach(offset);
      progress.started(offset, 1_000_000 + i);
    }

    assertThat(progress.commitPoint().metadata().length()).isLessThan(4096);
  }
}
