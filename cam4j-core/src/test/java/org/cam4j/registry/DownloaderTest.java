package org.cam4j.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cam4j.internal.io.EndedProcess;
import org.cam4j.internal.io.StagingFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
  private static final byte[] CONTENT = Payloads.bytes(300_000, 1);
  // No outcome may depend on how fast the machine is: the downloader of the ordinary tests has
  // timeouts that cannot fire during a test; only the stall test uses a short idle timeout, and
  // its server sends nothing more until it is closed, so that timer always fires.
  private static final Downloader DOWNLOADER = Downloader.builder()
      .connectTimeout(Duration.ofDays(1)).responseTimeout(Duration.ofDays(1))
      .idleTimeout(Duration.ofDays(1)).build();
  private static final Downloader IMPATIENT = Downloader.builder()
      .connectTimeout(Duration.ofDays(1)).responseTimeout(Duration.ofDays(1))
      .idleTimeout(Duration.ofMillis(300)).build();

  /** The count read before the break depends on timing, never more than was sent. */
  static final Pattern BROKE = Pattern.compile("the connection broke after (\\d+) of (\\d+)"
      + " bytes: ");

  @TempDir
  Path dir;

  @Test
  void progressRisesMonotonicallyToTheSizeAndTheFileIsReadable() throws Exception {
    try (LocalServer server = new LocalServer().serve("/f.bin", CONTENT)) {
      List<long[]> calls = new ArrayList<>();
      Path target = dir.resolve("cache/f.bin");
      DOWNLOADER.fetch(Payloads.file("f.bin", CONTENT, server.url("/f.bin")), target,
          (name, done, total) -> calls.add(new long[] {done, total}));
      assertArrayEquals(CONTENT, Files.readAllBytes(target));
      assertEquals(0, calls.get(0)[0]);
      assertEquals(CONTENT.length, calls.get(calls.size() - 1)[0]);
      assertTrue(calls.size() > 2, "one call per chunk, got " + calls.size());
      for (int i = 0; i < calls.size(); i++) {
        assertEquals(CONTENT.length, calls.get(i)[1]);
        if (i > 0) {
          assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0], "call " + i + " went down");
        }
      }
      assertEquals("rw-r--r--",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
      assertEquals(List.of("f.bin"), Payloads.listing(target.getParent()));
    }
  }

  @Test
  void stagingLeftByAKilledDownloadIsRemovedByTheNextOne() throws Exception {
    try (LocalServer server = new LocalServer().serve("/f.bin", CONTENT)) {
      Path cache = Files.createDirectories(dir.resolve("cache"));
      Path killed = Files.createDirectory(cache.resolve(EndedProcess.stagingOwner() + "1"));
      Files.write(killed.resolve("g.bin"), new byte[1000]); // a download cut short
      Path running = Files.createDirectory(cache.resolve(
          StagingFolders.owner(ProcessHandle.current()) + "2"));
      DOWNLOADER.fetch(Payloads.file("f.bin", CONTENT, server.url("/f.bin")),
          cache.resolve("f.bin"), ProgressListener.NONE);
      assertEquals(List.of(running.getFileName().toString(), "f.bin"), Payloads.listing(cache));
    }
  }

  @Test
  void offlineDownloaderNeverConnects() throws Exception {
    try (LocalServer server = new LocalServer().serve("/f.bin", CONTENT)) {
      Downloader offline = Downloader.builder().offline(true).build();
      DownloadException e = assertThrows(DownloadException.class, () -> offline.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertTrue(e.getMessage().contains("downloads are off (CAM4J_OFFLINE is set)"),
          e.getMessage());
      assertEquals(0, server.requests("/f.bin"));
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }

  @Test
  void connectionClosedBeforeContentLengthLeavesNoFile() throws Exception {
    try (LocalServer server = new LocalServer().truncated("/f.bin", CONTENT, 100_000)) {
      DownloadException e = assertThrows(DownloadException.class, () -> DOWNLOADER.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertEquals(1, e.attempts().size());
      Matcher m = BROKE.matcher(e.attempts().get(0));
      assertTrue(m.find(), e.getMessage());
      assertTrue(Long.parseLong(m.group(1)) <= 100_000, e.getMessage());
      assertEquals(300_000, Long.parseLong(m.group(2)));
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }

  @Test
  void chunkedBodyEndingEarlyIsReportedWithTheCount() throws Exception {
    try (LocalServer server = new LocalServer().chunkedPrefix("/f.bin", CONTENT, 123_456)) {
      DownloadException e = assertThrows(DownloadException.class, () -> DOWNLOADER.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertTrue(e.getMessage().contains("the connection ended after 123456 of 300000 bytes"),
          e.getMessage());
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }

  @Test
  void announcedSizeOtherThanExpectedIsRefusedBeforeReading() throws Exception {
    byte[] shorter = Payloads.bytes(1000, 2);
    try (LocalServer server = new LocalServer().serve("/f.bin", shorter)) {
      DownloadException e = assertThrows(DownloadException.class, () -> DOWNLOADER.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertTrue(e.getMessage().contains("the server announces 1000 bytes, expected 300000"),
          e.getMessage());
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }

  @Test
  void stalledTransferIsAbandonedAfterTheIdleTimeout() throws Exception {
    try (LocalServer server = new LocalServer().stalling("/f.bin", CONTENT, 50_000)) {
      DownloadException e = assertThrows(DownloadException.class, () -> IMPATIENT.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertTrue(e.getMessage().contains("no data for 300 ms; the transfer stalled"),
          e.getMessage());
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }

  @Test
  void wrongBytesOfTheRightSizeAreDeletedAndBothDigestsReported() throws Exception {
    byte[] other = Payloads.bytes(CONTENT.length, 3);
    try (LocalServer server = new LocalServer().serve("/f.bin", other)) {
      DownloadException e = assertThrows(DownloadException.class, () -> DOWNLOADER.fetch(
          Payloads.file("f.bin", CONTENT, server.url("/f.bin")), dir.resolve("f.bin"),
          ProgressListener.NONE));
      assertTrue(e.getMessage().contains("sha256 mismatch: expected " + Payloads.sha256(CONTENT)
          + ", got " + Payloads.sha256(other) + "; nothing was kept"), e.getMessage());
      assertEquals(List.of(), Payloads.listing(dir));
    }
  }
}
