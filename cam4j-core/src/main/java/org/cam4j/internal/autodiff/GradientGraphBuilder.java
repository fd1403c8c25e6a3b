package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cam4j.engine.BackwardMode;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.GraphProto;
import org.cam4j.internal.onnx.ModelProto;
import org.cam4j.internal.onnx.NodeProto;
import org.cam4j.internal.onnx.ValueInfoProto;

/**
 * Appends reverse-mode autodiff to a model: the returned model computes, in one run, the forward
 * pass, every target tensor and the gradient of the seeded score with respect to each target.
 *
 * <p>The seed is built in the graph so one run serves "explain the top class" or "explain a
 * probability" without a prior forward pass: {@code w = SEED + TOP * onehot(argmax(score))} where
 * {@code SEED} [N, K] holds explicit class weights per row and {@code TOP} [N, 1] the weight of
 * each row's own top-1 class (1 to explain it, -1 to argue against it, 0 for none). Rows whose
 * {@code PROBABILITY} [N, 1] is 1 differentiate {@code sum_k w_k softmax(score)_k} instead of
 * {@code sum_k w_k score_k}: their seed is the softmax VJP {@code p * (w - <w, p>)}, which for
 * {@code w = e_c} is {@code p_c (e_c - p)}.
 *
 * <p>When every row explains one class score, the {@link SeedForm#CLASSES} form takes that class
 * instead: {@code w = TOP * onehot(c)} with {@code c = CLASS}, or the row's argmax where
 * {@code CLASS} is -1. A classifier head then gathers the class's weights rather than
 * multiplying by all of them ({@link ClassRows}).
 */
public final class GradientGraphBuilder {
  /** Graph input: explicit score weights per row, float [N, K]. */
  public static final String SEED = "cam4j/seed";
  /** Graph input: per row, the weight of its own top-1 class (1, -1 or 0), float [N, 1]. */
  public static final String TOP = "cam4j/top";
  /** Graph input: 1 where a row explains softmax probabilities rather than scores, float [N, 1]. */
  public static final String PROBABILITY = "cam4j/probability";
  /**
   * Graph input of the {@link SeedForm#CLASSES} form: per row, the class explained, or -1 for
   * the row's top-1 class, int64 [N]; {@link #TOP} then holds that class's weight.
   */
  public static final String CLASS = "cam4j/class";

  /** How the graph takes what each row explains. */
  public enum SeedForm {
    /** Any class weights and probability rows: {@link #SEED}, {@link #TOP}, {@link #PROBABILITY}. */
    WEIGHTS,
    /** One weighted class score per row: {@link #CLASS} and {@link #TOP}. */
    CLASSES
  }

  private GradientGraphBuilder() {
  }

  /** Output name holding d(score)/d(target). */
  public static String gradientName(String target) {
    return "cam4j/grad/" + target;
  }

  /**
   * Builds the forward+backward model.
   *
   * @param shapes static shapes of every tensor in {@link BackwardPath#tensorsNeedingShapes}
   *     and of the score, for the batch size the model will run at
   */
  public static ModelProto build(ModelGraph graph, List<String> targets, String score,
      Map<String, long[]> shapes) {
    return build(graph, targets, score, shapes, BackwardMode.GRADIENT);
  }

  /** Builds the forward+backward model for a backward mode (true or guided gradients). */
  public static ModelProto build(ModelGraph graph, List<String> targets, String score,
      Map<String, long[]> shapes, BackwardMode mode) {
    return build(graph, targets, score, shapes, mode, SeedForm.WEIGHTS);
  }

  /** Builds the forward+backward model for a backward mode, taking the seed in a form. */
  public static ModelProto build(ModelGraph graph, List<String> targets, String score,
      Map<String, long[]> shapes, BackwardMode mode, SeedForm form) {
    BackwardPath path = BackwardPath.between(graph, targets, score);
    Set<String> supported = VjpRules.supportedOps();
    path.gradientStop(score).ifPresent(stop -> {
      throw new UnsupportedOperatorException(stop.getOpType(), stop.getName(), "its output"
          + " carries no gradient, and the score depends on the layer only through such outputs",
          supported);
    });
    GradientEmitter e = new GradientEmitter(graph, shapes);
    long[] scoreShape = e.shape(score);
    long rows = scoreShape[0];
    long classes = 1;
    for (int i = 1; i < scoreShape.length; i++) {
      classes *= scoreShape[i];
    }
    long[] seedShape = {rows, classes};
    e.recordShape(SEED, seedShape);
    e.recordShape(TOP, new long[] {rows, 1});
    e.recordShape(PROBABILITY, new long[] {rows, 1});
    e.recordShape(CLASS, new long[] {rows});
    String seed = e.reshape(form == SeedForm.CLASSES ? classSeed(e, score, seedShape)
        : inGraphSeed(e, score, seedShape), scoreShape);

    Map<String, List<String>> contributions = new HashMap<>();
    contributions.computeIfAbsent(score, k -> new ArrayList<>()).add(seed);
    List<NodeProto> nodes = path.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProto node = nodes.get(i);
      List<String> outGrads = new ArrayList<>();
      boolean any = false;
      for (String out : node.getOutputList()) {
        List<String> terms = contributions.get(out);
        outGrads.add(terms == null ? null : e.sum(terms));
        any |= terms != null;
      }
      if (!any) {
        continue;
      }
      NodeGradient ng = new NodeGradient(node, e, path, outGrads, contributions, supported);
      boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
      VjpRule rule = defaultDomain ? VjpRules.forOp(node.getOpType(), mode).orElse(null) : null;
      if (rule == null) {
        throw ng.unsupported(defaultDomain ? "" : "domain " + node.getDomain());
      }
      rule.backward(ng);
    }

    GraphProto.Builder g = graph.proto().getGraph().toBuilder();
    Set<String> existingOutputs = new LinkedHashSet<>();
    g.getOutputList().forEach(v -> existingOutputs.add(v.getName()));
    List<ValueInfoProto> extraOutputs = new ArrayList<>();
    if (!existingOutputs.contains(score)) {
      extraOutputs.add(Onnx.floatValueInfo(score, scoreShape));
      existingOutputs.add(score);
    }
    List<NodeProto> namedGradients = new ArrayList<>();
    for (String target : targets) {
      List<String> terms = contributions.get(target);
      String grad = terms == null ? e.zeros(e.shape(target)) : e.sum(terms);
      String name = gradientName(target);
      namedGradients.add(Onnx.node("Identity", name, List.of(grad), List.of(name)));
      if (existingOutputs.add(target)) {
        extraOutputs.add(Onnx.floatValueInfo(target, e.shape(target)));
      }
      extraOutputs.add(Onnx.floatValueInfo(name, e.shape(target)));
    }
    g.addAllNode(e.nodes());
    g.addAllNode(namedGradients);
    g.addAllInitializer(e.constants());
    if (form == SeedForm.CLASSES) {
      g.addInput(Onnx.longValueInfo(CLASS, new long[] {rows}));
      g.addInput(Onnx.floatValueInfo(TOP, new long[] {rows, 1}));
    } else {
      g.addInput(Onnx.floatValueInfo(SEED, seedShape));
      g.addInput(Onnx.floatValueInfo(TOP, new long[] {rows, 1}));
      g.addInput(Onnx.floatValueInfo(PROBABILITY, new long[] {rows, 1}));
    }
    g.addAllOutput(extraOutputs);
    return graph.proto().toBuilder().setGraph(g).build();
  }

  private static String inGraphSeed(GradientEmitter e, String score, long[] seedShape) {
    String flat = e.reshape(score, seedShape);
    String oneHot = oneHot(e, argmax(e, flat), seedShape);
    String weights = e.add(SEED, e.mul(TOP, oneHot));
    String p = e.op("Softmax", seedShape, List.of(flat), Onnx.attr("axis", 1L));
    String dot = e.reduceSum(e.mul(weights, p), new long[] {1}, true);
    String throughSoftmax = e.mul(p, e.sub(weights, dot));
    return e.where(e.greater(PROBABILITY, e.scalar(0.5f)), throughSoftmax, weights);
  }

  /** {@code TOP * onehot(c)}, marked so heads gather rows of their weights. */
  private static String classSeed(GradientEmitter e, String score, long[] seedShape) {
    long[] rows = {seedShape[0]};
    String unset = e.op("Less", rows, List.of(CLASS, e.longs(new long[0], 0)));
    String classes = e.op("Where", rows, List.of(unset, argmax(e, e.reshape(score, seedShape)),
        CLASS));
    String seed = e.mul(TOP, oneHot(e, classes, seedShape));
    e.markClassSeed(seed, new GradientEmitter.ClassSeed(classes, TOP));
    return seed;
  }

  /** Each row's top-1 class in the scores [N, K]. */
  private static String argmax(GradientEmitter e, String flatScores) {
    return e.op("ArgMax", new long[] {e.shape(flatScores)[0]}, List.of(flatScores),
        Onnx.attr("axis", 1L), Onnx.attr("keepdims", 0L));
  }

  private static String oneHot(GradientEmitter e, String classes, long[] seedShape) {
    return e.op("OneHot", seedShape, List.of(classes, e.ints(seedShape[1]),
        e.floats(new long[] {2}, new float[] {0f, 1f})), Onnx.attr("axis", -1L));
  }
}
