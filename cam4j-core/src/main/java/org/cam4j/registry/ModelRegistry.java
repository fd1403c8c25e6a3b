package org.cam4j.registry;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.image.Preprocessing;
import org.cam4j.internal.text.EditDistance;

/**
 * Turns a model argument into files: a path to an existing file is used as is, the name of an
 * embedded model is copied out of its jar into the cache (see {@link EmbeddedModelProvider}),
 * any other registry name is downloaded into the cache on first use (with its labels); both are
 * read from the cache afterwards.
 */
public final class ModelRegistry {
  /** The embedded default model: ImageNet MobileNetV2, in the {@code cam4j-models} artifact. */
  public static final String EMBEDDED_DEFAULT = "mobilenetv2-embedded";

  private static final int SUGGESTIONS = 3;

  private final ModelCatalog catalog;
  private final ModelCache cache;
  private final Downloader downloader;
  private final Map<String, EmbeddedModelProvider> embedded;

  /** A registry with the embedded models that {@link #installedProviders} finds. */
  public ModelRegistry(ModelCatalog catalog, ModelCache cache, Downloader downloader) {
    this(catalog, cache, downloader, installedProviders());
  }

  /** A registry whose embedded models are {@code providers} (the first of a name wins). */
  public ModelRegistry(ModelCatalog catalog, ModelCache cache, Downloader downloader,
      List<EmbeddedModelProvider> providers) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.downloader = Objects.requireNonNull(downloader, "downloader");
    Map<String, EmbeddedModelProvider> byName = new LinkedHashMap<>();
    providers.forEach(p -> byName.putIfAbsent(p.name(), p));
    this.embedded = Collections.unmodifiableMap(byName);
  }

  /** The embedded model providers on the class path of this class's loader. */
  public static List<EmbeddedModelProvider> installedProviders() {
    return ServiceLoader.load(EmbeddedModelProvider.class,
        EmbeddedModelProvider.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  /** The bundled catalogue, the cache folder from the environment, standard timeouts. */
  public static ModelRegistry standard() {
    return new ModelRegistry(ModelCatalog.bundled(), ModelCache.fromEnvironment(),
        Downloader.standard());
  }

  /**
   * Registry model names in catalogue order (embedded ones first), then any embedded model on
   * the class path that the catalogue does not list.
   */
  public List<String> names() {
    Set<String> all = new LinkedHashSet<>(catalog.names());
    all.addAll(embedded.keySet());
    return List.copyOf(all);
  }

  /** The model used when none is named: {@value #EMBEDDED_DEFAULT} in the bundled catalogue. */
  public String defaultName() {
    return catalog.defaultName();
  }

  /** Where downloaded files are kept. */
  public ModelCache cache() {
    return cache;
  }

  /**
   * The download entry of a registry name; unknown names fail with the closest ones, and so do
   * embedded names with an IllegalArgumentException (they are no download).
   */
  public ModelEntry entry(String name) {
    if (names().contains(name) && catalog.find(name).isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' is embedded, not a download");
    }
    return catalog.find(name).orElseThrow(() -> unknown(name));
  }

  /**
   * Resolves a model argument. An existing file resolves to itself, with the preprocessing of
   * its {@link Preprocessing#sidecarOf sidecar} when there is one. An embedded model's name
   * resolves to its copy in the cache, made on first use without any network. Any other
   * registry name resolves to the cached model and labels, downloading what is missing
   * (reported to {@code progress}).
   *
   * @throws ModelLoadException for a path-like argument (it has a folder separator or ends in
   *     {@code .onnx}) that names no file, or names a folder
   * @throws EmbeddedModelMissingException for an embedded name no jar on the class path provides
   * @throws UnknownModelException for any other argument that is no registry name
   * @throws ModelUnavailableException when a download fails
   */
  public ResolvedModel resolve(String nameOrPath, ProgressListener progress) {
    Optional<Path> path = asPath(nameOrPath);
    if (path.isPresent() && Files.isRegularFile(path.get())) {
      Path p = path.get();
      return new ResolvedModel(p, Optional.empty(), Preprocessing.sidecarOf(p), Optional.empty(),
          Optional.empty());
    }
    if (path.isPresent() && Files.isDirectory(path.get())) {
      throw new ModelLoadException(nameOrPath + " is a folder, not a model file");
    }
    EmbeddedModelProvider provider = embedded.get(nameOrPath);
    if (provider != null) {
      return provider.resolve(cache.dir());
    }
    if (catalog.embeddedNames().contains(nameOrPath)) {
      throw new EmbeddedModelMissingException(nameOrPath);
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
    return new ResolvedModel(model, labels, e.preprocessing(), Optional.of(e), Optional.empty());
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
    List<String> closest = names().stream()
        .filter(n -> EditDistance.between(q, n) <= limit)
        .sorted(Comparator.comparingInt(n -> EditDistance.between(q, n)))
        .limit(SUGGESTIONS)
        .toList();
    return new UnknownModelException(name, closest, names(), catalog.defaultName());
  }
}
