package io.fetchstats.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdentityTest {
  @TempDir Path dataDir;
  @TempDir Path otherDataDir;

  @Test
  void processesStartedWithDefaultsNeverShareAnIdAndARestartGetsItsOwnBack() {
    String first;
    String second;
    try (InstanceIdentity a = InstanceIdentity.claim(dataDir, "");
        InstanceIdentity b = InstanceIdentity.claim(dataDir, "")) {
      first = a.id();
      second = b.id();
      assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9.-]+-[0-9a-f]{8}");
      try (InstanceIdentity elsewhere = InstanceIdentity.claim(otherDataDir, "")) {
        assertThat(elsewhere.id()).isNotIn(first, second);
      }
    }
    try (InstanceIdentity again = InstanceIdentity.claim(dataDir, "")) {
      assertThat(again.id()).isEqualTo(first);
      try (InstanceIdentity alsoAgain = InstanceIdentity.claim(dataDir, "")) {
        assertThat(alsoAgain.id()).isEqualTo(second);
      }
    }
  }

  @Test
  void aGivenIdInUseIsRefusedAndTheHolderKeepsIt() {
    try (InstanceIdentity held = InstanceIdentity.claim(dataDir, "ingest-1")) {
      assertThatThrownBy(() -> InstanceIdentity.claim(dataDir, "ingest-1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "instance id ingest-1 is in use by process "
                  + ProcessHandle.current().pid()
                  + " (this one) (data dir "
                  + dataDir
                  + "); give each process its own --instance-id, or leave it unset to get one");
      assertThat(held.id()).isEqualTo("ingest-1");
      try (InstanceIdentity other = InstanceIdentity.claim(dataDir, "ingest-2")) {
        assertThat(other.id()).isEqualTo("ingest-2");
      }
    }
    InstanceIdentity.claim(dataDir, "ingest-1").close();
  }
}
