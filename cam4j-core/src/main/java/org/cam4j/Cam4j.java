package org.cam4j;

import java.nio.file.Path;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;

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

  /** The model with the given preprocessing and placeholder labels. */
  public static Explainer load(Path model, Preprocessing preprocessing) {
    return Explainer.builder(model).preprocessing(preprocessing).build();
  }

  /** The model, its preprocessing and its labels file. */
  public static Explainer load(Path model, Preprocessing preprocessing, Path labels) {
    return Explainer.builder(model).preprocessing(preprocessing).labels(labels).build();
  }
}
