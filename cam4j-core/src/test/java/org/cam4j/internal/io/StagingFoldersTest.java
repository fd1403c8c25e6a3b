package org.cam4j.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging folders are judged by their owner process, never by their age: those of dead
 * processes of this host go, those of live processes (however old) and of other hosts stay.
 */
class StagingFoldersTest {
  @TempDir
  Path dir;

  private Path staging(String name) throws IOException {
    Path p = Files.createDirectory(dir.resolve(name));
    Files.writeString(p.resolve("cat_gradcam_overlay.png"), "half written");
    return p;
  }

  @Test
  void removesOnlyTheFoldersOfDeadProcessesOfThisHost() throws Exception {
    String dead = EndedProcess.stagingOwner();
    Path killed = staging(dead + "123");
    // the current process's folder, made to look a year old: age decides nothing
    Path mine = staging(StagingFolders.owner(ProcessHandle.current()) + "456");
    Files.setLastModifiedTime(mine, FileTime.from(Instant.now().minusSeconds(365L * 86400)));
    // the same dead pid on another host: its process cannot be seen from here
    String[] parts = dead.split("-");
    String otherHost = String.join("-", parts[0], parts[1], parts[2], parts[3], "0badc0de",
        "") + "789";
    Path remote = staging(otherHost);
    Path older = staging(StagingFolders.PREFIX + "9876543210"); // an older version's name
    Path notOurs = Files.createDirectory(dir.resolve("photos"));

    assertEquals(List.of(killed), StagingFolders.removeStale(dir));
    assertFalse(Files.exists(killed));
    for (Path kept : List.of(mine, remote, older, notOurs)) {
      assertTrue(Files.isDirectory(kept), kept.toString());
    }
    assertEquals(List.of(), StagingFolders.removeStale(dir));
  }

  @Test
  void aPidReusedByANewerProcessDoesNotKeepTheFolder() throws Exception {
    // this process's pid with another start time: the folder's owner has gone, the pid is reused
    ProcessHandle me = ProcessHandle.current();
    String owner = StagingFolders.owner(me);
    String reused = owner.replace("-" + me.info().startInstant().orElseThrow().toEpochMilli()
        + "-", "-1-");
    Path stale = staging(reused + "1");
    assertEquals(List.of(stale), StagingFolders.removeStale(dir));
  }

  @Test
  void writesStageUnderTheWritersName() throws IOException {
    Path target = dir.resolve("a.txt");
    Path staged = StagingFolders.create(dir);
    assertTrue(staged.getFileName().toString().startsWith(
        StagingFolders.owner(ProcessHandle.current())));
    Files.delete(staged);
    AtomicFiles.writeAll(Map.of(target, new byte[] {1}));
    assertEquals(List.of(), StagingFolders.removeStale(dir));
    assertEquals(1, Files.size(target));
  }

  @Test
  void aMissingFolderHasNothingStale() {
    assertEquals(List.of(), StagingFolders.removeStale(dir.resolve("absent")));
  }
}
