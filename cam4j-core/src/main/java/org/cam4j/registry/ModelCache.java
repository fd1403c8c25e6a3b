package org.cam4j.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The folder holding downloaded registry files. Only verified files are ever moved in (see
 * {@link Downloader}), so a file of the expected size found here is used as is.
 */
public final class ModelCache {
  /** Environment variable naming the cache folder; it wins over the XDG default. */
  public static final String ENV_VAR = "CAM4J_CACHE";

  private final Path dir;

  /** A cache in {@code dir}, made absolute and normalised. */
  public ModelCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The cache folder chosen by {@link #defaultDir} from this process's environment. */
  public static ModelCache fromEnvironment() {
    return new ModelCache(defaultDir(System::getenv, System.getProperty("user.home")));
  }

  /**
   * {@code $CAM4J_CACHE} if set, else {@code $XDG_CACHE_HOME/cam4j}, else
   * {@code <home>/.cache/cam4j}. Empty values count as unset, and so does a relative
   * {@code XDG_CACHE_HOME}, which the XDG Base Directory spec says to ignore.
   *
   * @param env looks up an environment variable, null when unset
   */
  public static Path defaultDir(UnaryOperator<String> env, String userHome) {
    String own = env.apply(ENV_VAR);
    if (own != null && !own.isEmpty()) {
      return Path.of(own);
    }
    String xdg = env.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "cam4j");
    }
    return Path.of(userHome, ".cache", "cam4j");
  }

  /** The cache folder, absolute. */
  public Path dir() {
    return dir;
  }

  /** Where the file lives once downloaded. */
  public Path pathOf(RemoteFile file) {
    return dir.resolve(file.fileName());
  }

  /** The cached copy, when one of the expected size is there. */
  public Optional<Path> cached(RemoteFile file) {
    Path p = pathOf(file);
    try {
      return Files.isRegularFile(p) && Files.size(p) == file.bytes() ? Optional.of(p)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
