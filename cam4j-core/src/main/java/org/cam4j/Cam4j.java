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
 * try (Explainer model = Cam4j.load(Path.of("model.onnx"), Preprocessing.TORCH)) {
 *   model.explain(Path.of("cat.jpg")).save(Path.of("out"));
 * }
 * }</pre>
 *
 * Use {@link Explainer#builder} for labels, threads and image limits.
 */
public final class Cam4j {
  private Cam4j() {
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
