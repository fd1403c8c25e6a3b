package org.cam4j.method;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.cam4j.InvalidInputException;
import org.cam4j.engine.CamModel;
import org.cam4j.engine.ForwardResult;
import org.cam4j.engine.GradientResult;
import org.cam4j.explain.Target;
import org.cam4j.graph.FeatureLayout;
import org.cam4j.internal.engine.ScoreSeed;
import org.cam4j.tensor.FloatTensor;

/**
 * Everything a method may use for one batch: the model, the preprocessed input, what each row
 * explains, the layers asked for, and one forward+backward run over those layers shared by all
 * methods (computed on first use, so methods that never need it cost nothing). Methods without
 * gradients read activations and classes from that run when it exists, else from one shared
 * forward-only run. Work a method does once per call rather than per layer is remembered here
 * ({@link #memo}), so method objects hold no per-call state and can be shared across threads.
 */
public final class CamContext {
  private final CamModel model;
  private final FloatTensor input;
  private final List<String> layers;
  private final List<Target> targets;
  private final ScoreSeed seed;
  private final Map<String, FeatureLayout> layouts;
  private final Map<Object, Object> memos = new HashMap<>();
  private GradientResult run;
  private ForwardResult forward;

  private CamContext(CamModel model, FloatTensor input, List<String> layers,
      List<Target> targets, Map<String, FeatureLayout> layouts) {
    this.layouts = Map.copyOf(layouts);
    this.model = Objects.requireNonNull(model, "model");
    this.input = Objects.requireNonNull(input, "input");
    this.layers = List.copyOf(layers);
    this.targets = List.copyOf(targets);
    if (this.targets.size() != input.dim(0)) {
      throw new InvalidInputException(this.targets.size() + " targets for a batch of "
          + input.dim(0));
    }
    this.seed = ScoreSeed.of(this.targets);
  }

  /**
   * A context whose run is computed when a method first asks for it.
   *
   * @param targets what row i explains; named classes resolved ({@link Target#resolve})
   */
  public static CamContext of(CamModel model, FloatTensor input, List<String> layers,
      List<Target> targets) {
    return of(model, input, layers, targets, Map.of());
  }

  /**
   * A context with the layout of some layers given rather than inferred from the graph.
   *
   * @param layouts layout overrides by layer name; other layers use the model's catalog
   */
  public static CamContext of(CamModel model, FloatTensor input, List<String> layers,
      List<Target> targets, Map<String, FeatureLayout> layouts) {
    return new CamContext(model, input, layers, targets, layouts);
  }

  /** This context's layout overrides, for contexts derived from it (augmented copies). */
  Map<String, FeatureLayout> layoutOverrides() {
    return layouts;
  }

  /** How {@code layer} holds its feature maps: the override, else the model's catalog. */
  public FeatureLayout layout(String layer) {
    FeatureLayout given = layouts.get(layer);
    return given != null ? given : model.layers().layout(layer);
  }

  /** A context where every row explains {@code target}. */
  public static CamContext of(CamModel model, FloatTensor input, List<String> layers,
      Target target) {
    return of(model, input, layers, Collections.nCopies((int) input.dim(0), target));
  }

  /** The model the methods run. */
  public CamModel model() {
    return model;
  }

  /** The preprocessed batch in the model's layout. */
  public FloatTensor input() {
    return input;
  }

  /** The layers asked for (ONNX tensor names). */
  public List<String> layers() {
    return layers;
  }

  /** What each row explains. */
  public List<Target> targets() {
    return targets;
  }

  /** The shared forward+backward run over {@link #layers()}. */
  public synchronized GradientResult run() {
    if (run == null) {
      run = model.forwardBackward(input, layers, targets);
    }
    return run;
  }

  /**
   * A layer's activations as [N,C,h,w] whatever its layout, without a backward pass unless one
   * was run already.
   */
  public synchronized FloatTensor activations(String layer) {
    return layout(layer).toNchw(layerValues(layer));
  }

  /**
   * A layer's values as the graph holds them (NCHW, NHWC or tokens), e.g. to feed altered copies
   * to the network's head; without a backward pass unless one was run already.
   */
  synchronized FloatTensor layerValues(String layer) {
    return run != null ? run.activation(layer) : forward().tensor(layer);
  }

  /** A layer's score gradients as [N,C,h,w] whatever its layout, from the shared run. */
  public synchronized FloatTensor gradients(String layer) {
    return layout(layer).toNchw(run().gradient(layer));
  }

  /** Per row the class explained, or -1 for a custom weighting of the scores. */
  public synchronized int[] explainedClasses() {
    return run != null ? run.explainedClasses() : seed.explainedClasses(forward().scores());
  }

  /** The pre-softmax scores [N, K], from the shared run or one forward run. */
  public synchronized FloatTensor scores() {
    return run != null ? run.scores() : forward().scores();
  }

  /**
   * The value remembered under {@code key} for this context, computed on first use: work a
   * method called once per layer does once per call (e.g. the guided-backprop map, augmented
   * copies). Use a key only the method holds, such as the method itself.
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T memo(Object key, Supplier<T> compute) {
    Object value = memos.get(key);
    if (value == null) {
      value = Objects.requireNonNull(compute.get(), "memo value");
      memos.put(key, value);
    }
    return (T) value;
  }

  /**
   * The targets with "top" fixed to the class these scores [N, K] rank first per row: modified
   * copies of the images then explain the originals' classes.
   */
  List<Target> targetsWithTopFixed(FloatTensor scores) {
    int[] best = seed.explainedClasses(scores);
    return IntStream.range(0, targets.size()).mapToObj(i -> targets.get(i).withTopAs(best[i]))
        .toList();
  }

  private ForwardResult forward() {
    if (forward == null) {
      forward = model.forward(input, layers);
    }
    return forward;
  }
}
