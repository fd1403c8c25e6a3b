package org.cam4j.registry;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.text.EditDistance;

/**
 * Turns a model argument into files: a path to an existing file is used as is, a registry name
 * is downloaded into the cache on first use (with its labels) and read from there afterwards.
 */
public final class ModelRegistry {
  private static final int SUGGESTIONS = 3;

  private final ModelCatalog catalog;
  private final ModelCache cache;
  private final Downloader downloader;

  /**
   * A registry over {@code catalog} that stores files in {@code cache}, fetched by {@code
   * downloader}.
   */
  public ModelRegistry(ModelCatalog catalog, ModelCache cache, Downloader downloader) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.downloader = Objects.requireNonNull(downloader, "downloader");
  }

  /** The bundled catalogue, the cache folder from the environment, standard timeouts. */
  public static ModelRegistry standard() {
    return new ModelRegistry(ModelCatalog.bundled(), ModelCache.fromEnvironment(),
        Downloader.standard());
  }

  /** Registry model names in catalogue order. */
  public List<String> names() {
    return catalog.names();
  }

  /** The name of the model used when none is given. */
  public String defaultName() {
    return catalog.defaultName();
  }

  /** Where downloaded files are kept. */
  public ModelCache cache() {
    return cache;
  }

  /** The entry of a registry name; unknown names fail with the closest ones. */
  public ModelEntry entry(String name) {
    return catalog.find(name).orElseThrow(() -> unknown(name));
  }

  /**
   * Resolves a model argument. An existing file resolves to itself, with the preprocessing of
   * its {@link Preprocessing#sidecarOf sidecar} when there is one. A registry name resolves to
   * the cached model and labels, downloading what is missing (reported to {@code progress}).
   *
   * @throws ModelLoadException for a path-like argument (it has a folder separator or ends in
   *     {@code .onnx}) that names no file, or names a folder
   * @throws UnknownModelException for any other argument that is no registry name
   * @throws ModelUnavailableException when a download fails
   */
  public ResolvedModel resolve(String nameOrPath, ProgressListener progress) {
    Optional<Path> path = asPath(nameOrPath);
    if (path.isPresent() && Files.isRegularFile(path.get())) {
      Path p = path.get();
      return new ResolvedModel(p, Optional.empty(), Preprocessing.sidecarOf(p), Optional.empty());
    }
    if (path.isPresent() && Files.isDirectory(path.get())) {
      throw new ModelLoadException(nameOrPath + " is a folder, not a model file");
    }
    Optional<ModelEntry> entry = catalog.find(nameOrPath);
    if (entry.isPresent()) {
      return fetch(entry.get(), progress);
    }
    if (looksLikePath(nameOrPath)) {
      throw new ModelLoadException("no such model file: " + nameOrPath);
    }
    throw unknown(nameOrPath);
  }

  private ResolvedModel fetch(ModelEntry e, ProgressListener progress) {
    Path model = cached(e, e.model(), progress, "model '" + e.name() + "'",
        "--model PATH --labels PATH");
    Optional<Path> labels = e.labels().map(l -> cached(e, l, progress,
        "the labels of model '" + e.name() + "'", "--model " + model + " --labels PATH"));
    return new ResolvedModel(model, labels, e.preprocessing(), Optional.of(e));
  }

  /** The cached file, downloaded first when missing; {@code what} and {@code flags} explain. */
  private Path cached(ModelEntry e, RemoteFile file, ProgressListener progress, String what,
      String flags) {
    return cache.cached(file).orElseGet(() -> {
      try {
        return downloader.fetch(file, cache.pathOf(file), progress);
      } catch (DownloadException ex) {
        throw new ModelUnavailableException(e.name(), "cannot download " + what + " ("
            + file.fileName() + ", " + file.bytes() + " bytes): tried "
            + String.join(", ", ex.attempts()) + "; to do without the download, fetch "
            + file.urls().get(0) + " yourself, check that its sha256 is " + file.sha256()
            + ", and pass " + flags, ex);
      }
    });
  }

  private static Optional<Path> asPath(String s) {
    try {
      return Optional.of(Path.of(s));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static boolean looksLikePath(String s) {
    return s.indexOf('/') >= 0 || s.indexOf(File.separatorChar) >= 0
        || s.toLowerCase(Locale.ROOT).endsWith(".onnx");
  }

  private UnknownModelException unknown(String name) {
    String q = name.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, q.length() / 3);
    List<String> closest = catalog.names().stream()
        .filter(n -> EditDistance.between(q, n) <= limit)
        .sorted(Comparator.comparingInt(n -> EditDistance.between(q, n)))
        .limit(SUGGESTIONS)
        .toList();
    return new UnknownModelException(name, closest, catalog.names(), catalog.defaultName());
  }
}
