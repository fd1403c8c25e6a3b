package org.cam4j.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cam4j.internal.io.StagingFolders;

/**
 * Copies a {@link ResourceFile} out of the jar so that its target only ever holds verified
 * bytes: they stream into a temporary file in the target's folder while their SHA-256 is
 * computed, and only when size and digest match is that file moved into place atomically.
 * Processes copying the same file at once each write their own temporary file and the renames
 * replace identical bytes, so concurrent first runs are safe.
 */
final class VerifiedCopy {
  private VerifiedCopy() {
  }

  /**
   * The copy of {@code file} in {@code dir}, made from the jar when missing. A present copy of
   * the expected size is used as is: only verified bytes are ever moved in.
   */
  static Path ensure(ResourceFile file, Path dir) {
    Path target = dir.resolve(file.fileName());
    if (hasSize(target, file.bytes())) {
      return target;
    }
    try (InputStream in = VerifiedCopy.class.getResourceAsStream(file.resource())) {
      if (in == null) {
        throw new EmbeddedModelException("the jar has no " + file.resource()
            + "; the cam4j-models artifact is incomplete", null);
      }
      return copy(in, file, target);
    } catch (IOException e) {
      throw new EmbeddedModelException("cannot read " + file.resource() + " from the jar: " + e,
          e);
    }
  }

  /** Writes {@code in} to {@code target} when its bytes are those of {@code file}. */
  static Path copy(InputStream in, ResourceFile file, Path target) {
    Path dir = target.toAbsolutePath().getParent();
    Path staging = null;
    try {
      Files.createDirectories(dir);
      StagingFolders.removeStale(dir); // copies of processes killed while copying
      staging = StagingFolders.create(dir);
      Path tmp = staging.resolve(target.getFileName());
      MessageDigest sha = sha256();
      long written;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        written = in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (written != file.bytes() || !actual.equals(file.sha256())) {
        throw new EmbeddedModelException(file.resource() + " in the jar is corrupted: "
            + written + " bytes with sha256 " + actual + ", expected " + file.bytes()
            + " bytes with sha256 " + file.sha256() + "; nothing was kept", null);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // the copy should be an ordinary file, whatever the umask of this process
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      moveIntoPlace(tmp, target, file.bytes());
      return target;
    } catch (IOException e) {
      throw new EmbeddedModelException("cannot copy the embedded " + file.fileName() + " to "
          + target + ": " + e + "; set CAM4J_CACHE to a writable folder", e);
    } finally {
      if (staging != null) {
        StagingFolders.delete(staging);
      }
    }
  }

  /**
   * Renames {@code tmp} onto {@code target}. Where a rename cannot replace a file that another
   * process holds open (Windows), that process's verified copy is already in place and is kept.
   */
  private static void moveIntoPlace(Path tmp, Path target, long bytes) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!hasSize(target, bytes)) {
        throw e;
      }
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean hasSize(Path p, long bytes) {
    try {
      return Files.isRegularFile(p) && Files.size(p) == bytes;
    } catch (IOException e) {
      return false;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
