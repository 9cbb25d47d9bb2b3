package dev.flagroute.demo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo edits a private copy of the flags file, never the committed one. */
class FlagsFileTest {
  @TempDir
  Path dir;

  @Test
  void editsChangeTheCopyOnlyAndTheCopyIsDeletedOnClose() throws Exception {
    Path committed = Files.writeString(dir.resolve("flags.flagd.json"), "{\"testers\": [\"alice\"]}");
    Path copy;
    try (FlagsFile flags = FlagsFile.copyOf(committed)) {
      copy = flags.path();
      long before = Files.getLastModifiedTime(copy).toMillis();
      flags.apply(List.of(new FlagsFile.Edit("new-reviews", "add bob", "[\"alice\"]", "[\"alice\", \"bob\"]")));

      assertThat(copy).hasContent("{\"testers\": [\"alice\", \"bob\"]}");
      assertThat(Files.getLastModifiedTime(copy).toMillis()).as("a poller sees a newer file").isGreaterThan(before);
      assertThat(copy.getParent()).isNotEqualTo(dir);
    }

    assertThat(committed).hasContent("{\"testers\": [\"alice\"]}");
    assertThat(copy).doesNotExist();
    assertThat(copy.getParent()).doesNotExist();
  }

  @Test
  void anEditWhoseTextIsMissingOrAmbiguousIsRefused() throws Exception {
    Path committed = Files.writeString(dir.resolve("flags.flagd.json"), "[\"alice\"] [\"alice\"]");
    try (FlagsFile flags = FlagsFile.copyOf(committed)) {
      assertThatThrownBy(() -> flags.apply(List.of(new FlagsFile.Edit("f", "w", "[\"carol\"]", "x"))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly once");
      assertThatThrownBy(() -> flags.apply(List.of(new FlagsFile.Edit("f", "w", "[\"alice\"]", "x"))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly once");
    }
  }
}
