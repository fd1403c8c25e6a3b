package org.cam4j.internal.engine;

import java.util.Objects;
import java.util.function.Function;
import org.cam4j.engine.CamModel;
import org.cam4j.internal.graph.ModelGraph;

/**
 * The graph behind a {@link CamModel}, for cam4j's own code in other packages (e.g. methods that
 * read the classifier's weights) without a public accessor that would expose the internal graph
 * type. {@code CamModel} registers the accessor when its class initialises, which happens before
 * any instance exists.
 */
public final class ModelAccess {
  private static volatile Function<CamModel, ModelGraph> graphs;

  private ModelAccess() {
  }

  /** Called once, by {@code CamModel}'s static initialiser. */
  public static void register(Function<CamModel, ModelGraph> accessor) {
    if (graphs != null) {
      throw new IllegalStateException("the model accessor is registered already");
    }
    graphs = Objects.requireNonNull(accessor, "accessor");
  }

  /** The graph as loaded (gradient sessions run a copy lifted to a newer opset when needed). */
  public static ModelGraph graph(CamModel model) {
    return graphs.apply(Objects.requireNonNull(model, "model"));
  }
}
