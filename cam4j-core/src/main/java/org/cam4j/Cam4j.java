package org.cam4j;

import java.nio.file.Path;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.registry.ProgressListener;
import org.cam4j.registry.ResolvedModel;

/**
 * The short way in:
 *
 * <pre>{@code
 * try (Explainer model = Cam4j.load("mobilenetv2")) {
 *   model.explain(Path.of("cat.jpg")).save(Path.of("out"));
 * }
 * }</pre>
 *
 * Use {@link Explainer#builder} for threads and image limits.
 */
public final class Cam4j {
  private Cam4j() {
  }

  /**
   * The model file with the preprocessing of its sidecar ({@link Preprocessing#sidecarOf}),
   * else {@link Preprocessing#TORCH}, and placeholder labels.
   */
  public static Explainer load(Path model) {
    return Explainer.builder(model).build();
  }

  /**
   * A registry name ({@link ModelRegistry#names()}, e.g. {@code resnet50}; downloaded once into
   * the cache, never when {@code CAM4J_OFFLINE} is set) with its labels and preprocessing, or a
   * model file path as {@link #load(Path)}.
   *
   * @throws org.cam4j.registry.UnknownModelException for a name that is neither
   * @throws org.cam4j.registry.ModelUnavailableException when a download fails or is forbidden
   */
  public static Explainer load(String nameOrPath) {
    ResolvedModel resolved = ModelRegistry.standard().resolve(nameOrPath, ProgressListener.NONE);
    Explainer.Builder b = Explainer.builder(resolved.model());
    resolved.preprocessing().ifPresent(b::preprocessing);
    resolved.labels().ifPresent(b::labels);
    return b.build();
  }

  /**
   * The embedded default model, {@value ModelRegistry#EMBEDDED_DEFAULT} (ImageNet MobileNetV2),
   * with its labels and preprocessing; no network. Its file is copied once into the registry's
   * cache folder ({@link org.cam4j.registry.ModelCache#fromEnvironment}).
   *
   * @throws org.cam4j.registry.EmbeddedModelMissingException when the {@code cam4j-models}
   *     artifact is not on the class path
   */
  public static Explainer load() {
    ResolvedModel m = ModelRegistry.standard().resolve(ModelRegistry.EMBEDDED_DEFAULT,
        ProgressListener.NONE);
    return Explainer.builder(m.model()).modelName(ModelRegistry.EMBEDDED_DEFAULT)
        .preprocessing(m.preprocessing().orElseThrow()).labels(m.requireLabels()).build();
  }

  /** The model with the given preprocessing and placeholder labels. */
  public static Explainer load(Path model, Preprocessing preprocessing) {
    return Explainer.builder(model).preprocessing(preprocessing).build();
  }

  /** The model, its preprocessing and its labels file. */
  public static Explainer load(Path model, Preprocessing preprocessing, Path labels) {
    return Explainer.builder(model).preprocessing(preprocessing).labels(labels).build();
  }
}
