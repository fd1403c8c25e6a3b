package org.cam4j.internal.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.TensorProto;

/**
 * Ops that pick, repeat or convert elements: Gather, GatherElements, Expand, Tile, Where, Cast.
 * Indices must be known at build time (constants, or computed from static shapes); the gradient
 * of a gather is then a scatter-add to positions computed here.
 */
final class IndexingRules {
  private IndexingRules() {
  }

  static void register(Map<String, VjpRule> rules) {
    rules.put("Gather", IndexingRules::gather);
    rules.put("GatherElements", IndexingRules::gatherElements);
    rules.put("Expand", n -> n.addGrad(0, n.emit().unbroadcast(n.outputGrad(0),
        n.inputShape(0))));
    rules.put("Tile", IndexingRules::tile);
    rules.put("Where", IndexingRules::where);
    rules.put("Cast", IndexingRules::cast);
  }

  /**
   * y[o, j, i] = x[o, idx[j], i] (o: axes before `axis`, i: after): each output element adds its
   * gradient to the input element it was read from.
   */
  private static void gather(NodeGradient n) {
    long[] x = n.inputShape(0);
    int axis = axis(n.attrs().getInt("axis", 0), x.length);
    long[] indices = ShapeRules.constant(n, 1);
    long outer = PoolRules.product(Arrays.copyOfRange(x, 0, axis));
    long inner = PoolRules.product(Arrays.copyOfRange(x, axis + 1, x.length));
    long dim = x[axis];
    long[] source = new long[(int) (outer * indices.length * inner)];
    int p = 0;
    for (long o = 0; o < outer; o++) {
      for (long k : indices) {
        long row = o * dim + checked(n, k, dim);
        for (long i = 0; i < inner; i++) {
          source[p++] = row * inner + i;
        }
      }
    }
    n.addGrad(0, scatterAdd(n.emit(), n.outputGrad(0), source, x));
  }

  /** y[..., j, ...] = x[..., idx[..., j, ...], ...] along `axis`; idx has y's shape. */
  private static void gatherElements(NodeGradient n) {
    long[] x = n.inputShape(0);
    long[] y = n.outputShape(0);
    int axis = axis(n.attrs().getInt("axis", 0), x.length);
    long[] indices = ShapeRules.constant(n, 1);
    long[] source = new long[indices.length];
    long[] coord = new long[y.length];
    for (int p = 0; p < indices.length; p++) {
      long flat = 0;
      for (int d = 0; d < x.length; d++) {
        long c = d == axis ? checked(n, indices[p], x[d]) : coord[d];
        flat = flat * x[d] + c;
      }
      source[p] = flat;
      for (int d = y.length - 1; d >= 0; d--) {
        if (++coord[d] < y[d]) {
          break;
        }
        coord[d] = 0;
      }
    }
    n.addGrad(0, scatterAdd(n.emit(), n.outputGrad(0), source, x));
  }

  /**
   * Sums element p of g into flat position source[p] of a zero tensor of shape {@code target}.
   * From opset 16 one ScatterElements with reduction=add does it. Before, ScatterElements can
   * only overwrite, so the positions are split into rounds in which no target repeats (the k-th
   * read of each element goes to round k) and the rounds are added.
   */
  private static String scatterAdd(GradientEmitter e, String g, long[] source, long[] target) {
    long total = PoolRules.product(target);
    String flat = e.reshape(g, new long[] {source.length});
    long[] flatShape = {total};
    if (e.opset() >= 16) {
      return e.reshape(e.op("ScatterElements", flatShape, List.of(e.zeros(flatShape),
          e.ints(source), flat), Onnx.attr("axis", 0L), Onnx.attr("reduction", "add")), target);
    }
    Map<Long, Integer> reads = new HashMap<>();
    List<List<Integer>> rounds = new ArrayList<>();
    for (int p = 0; p < source.length; p++) {
      int round = reads.merge(source[p], 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(p);
    }
    String scatter = e.opset() >= 11 ? "ScatterElements" : "Scatter";
    List<String> parts = new ArrayList<>();
    for (List<Integer> round : rounds) {
      long[] positions = round.stream().mapToLong(Integer::longValue).toArray();
      long[] targets = round.stream().mapToLong(p -> source[p]).toArray();
      String updates = positions.length == source.length ? flat
          : e.op("Gather", new long[] {positions.length}, List.of(flat, e.ints(positions)));
      parts.add(e.op(scatter, flatShape, List.of(e.zeros(flatShape), e.ints(targets), updates),
          Onnx.attr("axis", 0L)));
    }
    return e.reshape(e.sum(parts), target);
  }

  /** y = x repeated r_k times along each axis k: dx sums g viewed as [r_0, d_0, r_1, d_1, ...]. */
  private static void tile(NodeGradient n) {
    GradientEmitter e = n.emit();
    long[] x = n.inputShape(0);
    long[] repeats = ShapeRules.constant(n, 1);
    long[] split = new long[2 * x.length];
    long[] repeatAxes = new long[x.length];
    for (int k = 0; k < x.length; k++) {
      split[2 * k] = repeats[k];
      split[2 * k + 1] = x[k];
      repeatAxes[k] = 2 * k;
    }
    n.addGrad(0, e.reduceSum(e.reshape(n.outputGrad(0), split), repeatAxes, false));
  }

  /** y = where(c, a, b): da = g where c holds, db = g elsewhere; c carries no gradient. */
  private static void where(NodeGradient n) {
    GradientEmitter e = n.emit();
    String g = n.outputGrad(0);
    String zero = e.scalar(0f);
    if (n.needsGrad(1)) {
      n.addGrad(1, e.unbroadcast(e.where(n.input(0), g, zero), n.inputShape(1)));
    }
    if (n.needsGrad(2)) {
      n.addGrad(2, e.unbroadcast(e.where(n.input(0), zero, g), n.inputShape(2)));
    }
  }

  /**
   * A cast to float is the identity for the gradient. Casts to integer or boolean types carry no
   * gradient ({@link GradientFlow}); casts to other float types are refused, since the backward
   * graph computes in float32.
   */
  private static void cast(NodeGradient n) {
    long to = n.attrs().getInt("to", 0);
    if (to != TensorProto.DataType.FLOAT_VALUE) {
      TensorProto.DataType type = TensorProto.DataType.forNumber((int) to);
      throw n.unsupported("cast to " + (type == null ? "type " + to : type.name())
          + ": gradients are computed in float32 only");
    }
    n.addGrad(0, n.outputGrad(0));
  }

  private static int axis(long axis, int rank) {
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static long checked(NodeGradient n, long index, long dim) {
    long k = index < 0 ? index + dim : index;
    if (k < 0 || k >= dim) {
      throw n.unsupported("index " + index + " out of range for a dimension of " + dim);
    }
    return k;
  }
}
