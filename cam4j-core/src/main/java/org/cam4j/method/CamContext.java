package org.cam4j.method;

import java.util.List;
import java.util.Objects;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.ForwardResult;
import org.cam4j.engine.GradientResult;
import org.cam4j.internal.engine.ScoreSeed;
import org.cam4j.tensor.FloatTensor;

/**
 * Everything a method may use for one batch: the model, the preprocessed input, what each row
 * explains, the layers asked for, and one forward+backward run over those layers shared by all
 * methods (computed on first use, so methods that never need it cost nothing). Methods without
 * gradients read activations and classes from that run when it exists, else from one shared
 * forward-only run.
 */
public final class CamContext {
  private final CamModel model;
  private final FloatTensor input;
  private final List<String> layers;
  private final ScoreSeed seed;
  private GradientResult run;
  private ForwardResult forward;

  private CamContext(CamModel model, FloatTensor input, List<String> layers, ScoreSeed seed,
      GradientResult run) {
    this.model = Objects.requireNonNull(model, "model");
    this.input = Objects.requireNonNull(input, "input");
    this.layers = List.copyOf(layers);
    this.seed = Objects.requireNonNull(seed, "seed");
    this.run = run;
  }

  /** A context whose run is computed when a method first asks for it. */
  public static CamContext of(CamModel model, FloatTensor input, List<String> layers,
      ScoreSeed seed) {
    return new CamContext(model, input, layers, seed, null);
  }

  /** A context around a run already made for these layers. */
  public static CamContext of(CamModel model, FloatTensor input, ScoreSeed seed,
      GradientResult run) {
    return new CamContext(model, input, run.layers(), seed, run);
  }

  public CamModel model() {
    return model;
  }

  /** The preprocessed batch in the model's layout. */
  public FloatTensor input() {
    return input;
  }

  public List<String> layers() {
    return layers;
  }

  public ScoreSeed seed() {
    return seed;
  }

  /** The shared forward+backward run over {@link #layers()}. */
  public synchronized GradientResult run() {
    if (run == null) {
      run = model.forwardBackward(input, layers, seed);
    }
    return run;
  }

  /** A layer's activations [N,C,h,w], without a backward pass unless one was run already. */
  public synchronized FloatTensor activations(String layer) {
    return run != null ? run.activation(layer) : forward().tensor(layer);
  }

  /** Per row the class explained, or -1 for a custom weighting of the scores. */
  public synchronized int[] explainedClasses() {
    return run != null ? run.explainedClasses()
        : CamModel.explainedClasses(seed, forward().scores());
  }

  /** The pre-softmax scores [N, K], from the shared run or one forward run. */
  public synchronized FloatTensor scores() {
    return run != null ? run.scores() : forward().scores();
  }

  private ForwardResult forward() {
    if (forward == null) {
      forward = model.forward(input, layers);
    }
    return forward;
  }
}
