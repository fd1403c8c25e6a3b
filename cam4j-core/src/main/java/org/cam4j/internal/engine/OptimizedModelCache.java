package org.cam4j.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.io.Sha256;
import org.cam4j.internal.onnx.TensorProto;

/**
 * ONNX Runtime's optimised models kept on disk, so that a later process loads a session without
 * optimising the graph again (fusions, constant folding, NCHWc layouts: most of the time of a
 * session's creation).
 *
 * <p>An entry is {@code <key>-<content>.onnx}: the key is the SHA-256 of everything the
 * optimised model depends on (the model as given to ONNX Runtime, so its layers, outputs and
 * input shape; the digest of its weights; the ONNX Runtime version; the session options; the
 * CPU's architecture and feature flags, since the NCHWc layouts ONNX Runtime picks are specific
 * to the hardware); the content part is the first 16 hex digits of the file's own SHA-256,
 * checked on every load. ONNX Runtime writes the file under a temporary name and it is moved
 * into place once complete, so readers never see a partial file; an entry that fails the check
 * or that ONNX Runtime cannot load is deleted and rebuilt. The cache is best effort: a folder
 * that cannot be written only means sessions are built as without it.
 */
public final class OptimizedModelCache {
  private static final String FORMAT = "cam4j-ort-optimised-v1";
  private static final int CONTENT_DIGITS = 16;
  private static final String CPU = cpu();
  private final Path dir;

  /** A cache in {@code dir} (created when first written). */
  public OptimizedModelCache(Path dir) {
    this.dir = dir;
  }

  /** The folder the entries are kept in. */
  public Path dir() {
    return dir;
  }

  /**
   * The key of a session: SHA-256 over the model as given to ONNX Runtime, the weights' digest,
   * the session options (as text), the ONNX Runtime version and the CPU.
   */
  public static String key(byte[] model, String weightsDigest, String options,
      String ortVersion) {
    MessageDigest d = Sha256.newDigest();
    for (String part : new String[] {FORMAT, ortVersion, options, weightsDigest, CPU}) {
      d.update(part.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
    }
    d.update(model);
    return HexFormat.of().formatHex(d.digest());
  }

  /** SHA-256 over every initializer of the graph (names, types, dims and data). */
  public static String weightsDigest(ModelGraph graph) {
    MessageDigest d = Sha256.newDigest();
    for (TensorProto t : graph.proto().getGraph().getInitializerList()) {
      d.update(t.toBuilder().clearRawData().build().toByteArray());
      d.update(t.getRawData().asReadOnlyByteBuffer());
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * The entry of {@code key} whose content matches its name; an entry that does not match is
   * deleted.
   */
  public Optional<Path> find(String key) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, key + "-*.onnx")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String expected = name.substring(key.length() + 1, name.length() - ".onnx".length());
        if (expected.equals(contentDigest(entry))) {
          return Optional.of(entry);
        }
        discard(entry);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Where ONNX Runtime writes a new entry before {@link #publish}; empty if none can be. */
  public Optional<Path> stagingFile(String key) {
    try {
      Files.createDirectories(dir);
      return Optional.of(Files.createTempFile(dir, ".staging-" + key, ".onnx"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Moves a complete staged file into place as the entry of {@code key}. */
  public void publish(String key, Path staged) {
    try {
      if (!Files.isRegularFile(staged) || Files.size(staged) == 0) {
        discard(staged);
        return;
      }
      Path entry = dir.resolve(key + "-" + contentDigest(staged) + ".onnx");
      try {
        Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, entry, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      discard(staged);
    }
  }

  /** Deletes an entry ONNX Runtime could not load, or a staged file not published. */
  public void discard(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort: a file that cannot be deleted fails its check again next time
    }
  }

  private static String contentDigest(Path file) throws IOException {
    MessageDigest d = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        d.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest()).substring(0, CONTENT_DIGITS);
  }

  /** The CPU as the optimised layouts depend on it: architecture and feature flags. */
  private static String cpu() {
    String flags = "";
    try {
      flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("flags") || l.startsWith("Features"))
          .findFirst().orElse("");
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture alone
    }
    return System.getProperty("os.arch") + " " + flags;
  }
}
