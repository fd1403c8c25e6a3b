package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.cam4j.internal.onnx.AttributeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pooling and reductions against finite differences; MaxPool also at exact ties. */
class PoolGradientTest {
  static Stream<Arguments> averagePools() {
    return Stream.of(
        avg("GlobalAveragePool", 13, new long[] {2, 3, 4, 5}, "GlobalAveragePool"),
        // past the largest plane whose backward multiplies by a constant plane: Expand instead
        avg("GlobalAveragePool 65x65", 13, new long[] {1, 2, 65, 65}, "GlobalAveragePool"),
        avg("k3 s2", 13, new long[] {1, 2, 7, 7}, "AveragePool", kernel(3, 3), strides(2, 2)),
        avg("k3 s2 pads 1 count_include_pad 0", 13, new long[] {1, 2, 7, 7}, "AveragePool",
            kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1)),
        avg("k3 s2 pads 1 count_include_pad 1", 13, new long[] {1, 2, 7, 7}, "AveragePool",
            kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("count_include_pad", 1L)),
        avg("k3 s1 overlapping, pads 0,1,1,0", 11, new long[] {1, 2, 6, 6}, "AveragePool",
            kernel(3, 3), pads(0, 1, 1, 0)),
        avg("k3 s2 remainder, pads 1,0,0,2 count_include_pad 1", 13, new long[] {1, 2, 8, 8},
            "AveragePool", kernel(3, 3), strides(2, 2), pads(1, 0, 0, 2),
            attr("count_include_pad", 1L)),
        avg("k2 s2 ceil_mode", 13, new long[] {1, 2, 7, 7}, "AveragePool", kernel(2, 2),
            strides(2, 2), attr("ceil_mode", 1L)),
        avg("k3 s2 ceil_mode pads 1 count_include_pad 0", 13, new long[] {1, 2, 8, 8},
            "AveragePool", kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L)),
        avg("k3 s2 ceil_mode pads 1 count_include_pad 1", 13, new long[] {1, 2, 8, 8},
            "AveragePool", kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L),
            attr("count_include_pad", 1L)),
        avg("k3 s2 ceil_mode pads 1 count_include_pad 1", 19, new long[] {1, 2, 8, 8},
            "AveragePool", kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L),
            attr("count_include_pad", 1L)),
        avg("k3 dilations 1,2 ceil_mode pads 1 count_include_pad 1", 21, new long[] {1, 2, 8, 6},
            "AveragePool", kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L),
            attr("dilations", new long[] {1, 2}), attr("count_include_pad", 1L)),
        avg("k2 s2 ceil_mode count_include_pad 1", 11, new long[] {1, 2, 7, 7}, "AveragePool",
            kernel(2, 2), strides(2, 2), attr("ceil_mode", 1L), attr("count_include_pad", 1L)),
        avg("k3 s2 SAME_UPPER", 13, new long[] {1, 2, 8, 8}, "AveragePool", kernel(3, 3),
            strides(2, 2), attr("auto_pad", "SAME_UPPER")),
        avg("k2 s1 SAME_LOWER count_include_pad 1", 13, new long[] {1, 2, 5, 5}, "AveragePool",
            kernel(2, 2), attr("auto_pad", "SAME_LOWER"), attr("count_include_pad", 1L)),
        avg("opset 19 dilations 2 pads 1", 19, new long[] {1, 2, 8, 8}, "AveragePool",
            kernel(3, 3), attr("dilations", new long[] {2, 2}), pads(1, 1, 1, 1)),
        avg("1-D k3 s2 pads 1", 13, new long[] {2, 3, 9}, "AveragePool",
            attr("kernel_shape", new long[] {3}), attr("strides", new long[] {2}),
            attr("pads", new long[] {1, 1})));
  }

  private static Arguments avg(String label, int opset, long[] shape, String op,
      AttributeProto... attrs) {
    TinyModel m = TinyModel.opset(opset).input("x", shape).node(op, in("x"), "y", attrs);
    return Arguments.of(op + " " + label + " (opset " + opset + ")", m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("averagePools")
  void averagePool(String label, TinyModel model) {
    GradientCheck.on(model).elements(60).verify(label);
  }

  /** MaxPool geometries; each runs at opset 13 (window decomposition) and 16 (indices). */
  static Stream<Arguments> maxPools() {
    List<Arguments> cases = new ArrayList<>();
    for (int opset : new int[] {13, 16}) {
      cases.add(max("k3 s2 overlapping, N=2 C=3", opset, new long[] {2, 3, 7, 7},
          kernel(3, 3), strides(2, 2)));
      cases.add(max("k3 s1 overlapping pads 1", opset, new long[] {1, 2, 6, 6},
          kernel(3, 3), pads(1, 1, 1, 1)));
      cases.add(max("k3 s2 pads 1, N=2 C=3", opset, new long[] {2, 3, 7, 7},
          kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1)));
      cases.add(max("k2 s2 ceil_mode", opset, new long[] {1, 2, 7, 7},
          kernel(2, 2), strides(2, 2), attr("ceil_mode", 1L)));
      cases.add(max("k3 s2 ceil_mode, N=2 C=3", opset, new long[] {2, 3, 8, 8},
          kernel(3, 3), strides(2, 2), attr("ceil_mode", 1L)));
      cases.add(max("k3 s2 ceil_mode pads 1", opset, new long[] {1, 2, 8, 8},
          kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L)));
      cases.add(max("k3 s2 asymmetric pads 0,0,1,1", opset, new long[] {1, 2, 8, 8},
          kernel(3, 3), strides(2, 2), pads(0, 0, 1, 1)));
      cases.add(max("k2 s3 remainder", opset, new long[] {1, 2, 8, 8},
          kernel(2, 2), strides(3, 3)));
      cases.add(max("k3 dilations 2", opset, new long[] {1, 2, 7, 7},
          kernel(3, 3), attr("dilations", new long[] {2, 2})));
      cases.add(max("k3 s2 SAME_UPPER", opset, new long[] {1, 2, 8, 8},
          kernel(3, 3), strides(2, 2), attr("auto_pad", "SAME_UPPER")));
      cases.add(max("k2 s1 SAME_LOWER", opset, new long[] {1, 2, 5, 5},
          kernel(2, 2), attr("auto_pad", "SAME_LOWER")));
      cases.add(max("k3x2 s2x1 storage_order 1", opset, new long[] {1, 2, 7, 6},
          kernel(3, 2), strides(2, 1), attr("storage_order", 1L)));
      cases.add(max("1-D k3 s2", opset, new long[] {2, 2, 9},
          attr("kernel_shape", new long[] {3}), attr("strides", new long[] {2})));
    }
    cases.add(max("k3 s2 ceil_mode pads 1", 10, new long[] {1, 2, 8, 8},
        kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L)));
    cases.add(max("k3 s2 ceil_mode pads 1", 11, new long[] {1, 2, 8, 8},
        kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L)));
    cases.add(max("k3 s2 ceil_mode pads 1", 21, new long[] {1, 2, 8, 8},
        kernel(3, 3), strides(2, 2), pads(1, 1, 1, 1), attr("ceil_mode", 1L)));
    return cases.stream();
  }

  /** Values on a shuffled grid: distinct, so every window has one clear maximum. */
  private static Arguments max(String label, int opset, long[] shape, AttributeProto... attrs) {
    TinyModel m = TinyModel.opset(opset).input("x", shape);
    m.inputValues(m.distinct(m.inputSize(), 2.0 / m.inputSize()));
    m.node("MaxPool", in("x"), "y", attrs);
    return Arguments.of("MaxPool " + label + " (opset " + opset + ")", m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("maxPools")
  void maxPool(String label, TinyModel model) {
    // Piecewise linear: a small step stays inside the grid spacing, with no truncation error.
    GradientCheck.on(model).step(1e-3).elements(60).verify(label);
  }

  /**
   * All-equal windows: the gradient of each window goes to its first in-bounds element in scan
   * order (as ONNX Runtime's own argmax and PyTorch), summed where windows overlap.
   */
  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {10, 11, 13, 16, 21})
  void maxPoolTiesGoToTheFirstElement(int opset) {
    long[] shape = {2, 3, 7, 7};
    TinyModel model = TinyModel.opset(opset).input("x", shape);
    float[] flat = new float[model.inputSize()];
    Arrays.fill(flat, 0.25f);
    model.inputValues(flat).node("MaxPool", in("x"), "y", kernel(3, 3), strides(2, 2),
        pads(1, 1, 1, 1));
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      float[] seed = run.randomSeed(new Random(3));
      Map<String, float[]> grads = run.gradients(seed);
      long[] out = run.shape("y");
      float[] expected = new float[flat.length];
      int h = (int) shape[2];
      int w = (int) shape[3];
      int oh = (int) out[2];
      int ow = (int) out[3];
      for (int plane = 0; plane < shape[0] * shape[1]; plane++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            int top = Math.max(0, i * 2 - 1);
            int left = Math.max(0, j * 2 - 1);
            expected[plane * h * w + top * w + left] += seed[(plane * oh + i) * ow + j];
          }
        }
      }
      assertArrayEquals(expected, grads.get("x"), 1e-6f, "opset " + opset);
    }
  }

  /**
   * A maximum at a border shared by overlapping windows (k3 s2 pads 1: odd rows and columns) is
   * the argmax of up to four windows; it must receive the sum of their gradients. The other
   * windows are all-equal zeros and give theirs to their first element. Expected values come
   * from a direct scan of each window.
   */
  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {10, 11, 13, 16})
  void maxPoolSharedMaximumCollectsEveryWindow(int opset) {
    long[] shape = {1, 2, 7, 7};
    int h = 7;
    int w = 7;
    TinyModel model = TinyModel.opset(opset).input("x", shape);
    float[] flat = new float[model.inputSize()];
    flat[3 * w + 3] = 1f;
    flat[h * w + 1 * w + 5] = 2f;
    flat[h * w + 5 * w + 5] = 3f;
    model.inputValues(flat).node("MaxPool", in("x"), "y", kernel(3, 3), strides(2, 2),
        pads(1, 1, 1, 1));
    try (GradientCheck.Run run = GradientCheck.on(model).open()) {
      float[] seed = run.randomSeed(new Random(5));
      Map<String, float[]> grads = run.gradients(seed);
      int oh = (int) run.shape("y")[2];
      int ow = (int) run.shape("y")[3];
      float[] expected = new float[flat.length];
      for (int plane = 0; plane < 2; plane++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            int best = -1;
            for (int r = 2 * i - 1; r <= 2 * i + 1; r++) {
              for (int c = 2 * j - 1; c <= 2 * j + 1; c++) {
                int at = plane * h * w + r * w + c;
                if (r >= 0 && r < h && c >= 0 && c < w && (best < 0 || flat[at] > flat[best])) {
                  best = at;
                }
              }
            }
            expected[best] += seed[(plane * oh + i) * ow + j];
          }
        }
      }
      // the element at (3,3) of plane 0 is the argmax of four windows
      assertNotEquals(0f, expected[3 * w + 3]);
      // sums of up to four seeds of order 1 in another order than ONNX Runtime's: a few ulps
      assertArrayEquals(expected, grads.get("x"), 1e-5f, "opset " + opset);
    }
  }

  @Test
  void maxPoolBeforeOpset10IsRefusedByName() {
    TinyModel model = TinyModel.opset(9).input("x", 1, 2, 8, 8)
        .node("MaxPool", in("x"), "y", kernel(2, 2), strides(2, 2));
    UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class,
        () -> GradientCheck.on(model).open().close());
    assertEquals("MaxPool", e.opType());
    assertTrue(e.getMessage().contains("MaxPool before opset 10"), e.getMessage());
  }

  static Stream<Arguments> reductions() {
    return Stream.of(
        Arguments.of("ReduceMean opset 13 axes attribute", TinyModel.opset(13)
            .input("x", 2, 3, 4, 5).node("ReduceMean", in("x"), "y",
                attr("axes", new long[] {2, 3}))),
        Arguments.of("ReduceMean opset 13 negative axis keepdims 0", TinyModel.opset(13)
            .input("x", 2, 3, 4, 5).node("ReduceMean", in("x"), "y",
                attr("axes", new long[] {-1}), attr("keepdims", 0L))),
        Arguments.of("ReduceMean opset 11 all axes", TinyModel.opset(11)
            .input("x", 2, 3, 4, 5).node("ReduceMean", in("x"), "r", attr("keepdims", 0L))
            .node("Mul", in("r", "x"), "y")),
        Arguments.of("ReduceMean opset 18 axes input", TinyModel.opset(18)
            .input("x", 2, 3, 4, 5).ints("axes", 1, -1)
            .node("ReduceMean", in("x", "axes"), "y", attr("keepdims", 0L))),
        Arguments.of("ReduceMean opset 18 no axes", TinyModel.opset(18)
            .input("x", 2, 3, 4, 5).node("ReduceMean", in("x"), "r")
            .node("Mul", in("r", "x"), "y")),
        Arguments.of("ReduceMean opset 18 noop_with_empty_axes", TinyModel.opset(18)
            .input("x", 2, 3, 4, 5).node("ReduceMean", in("x"), "y",
                attr("noop_with_empty_axes", 1L))),
        Arguments.of("ReduceSum opset 11 axes attribute", TinyModel.opset(11)
            .input("x", 2, 3, 4, 5).node("ReduceSum", in("x"), "y",
                attr("axes", new long[] {0, 2}), attr("keepdims", 0L))),
        Arguments.of("ReduceSum opset 13 axes input", TinyModel.opset(13)
            .input("x", 2, 3, 4, 5).ints("axes", -2)
            .node("ReduceSum", in("x", "axes"), "y")),
        Arguments.of("ReduceSum opset 13 no axes keepdims 0", TinyModel.opset(13)
            .input("x", 2, 3, 4, 5).node("ReduceSum", in("x"), "r", attr("keepdims", 0L))
            .node("Mul", in("r", "x"), "y")),
        Arguments.of("ReduceSum opset 13 noop_with_empty_axes", TinyModel.opset(13)
            .input("x", 2, 3, 4, 5).node("ReduceSum", in("x"), "y",
                attr("noop_with_empty_axes", 1L))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reductions")
  void reduction(String label, TinyModel model) {
    GradientCheck.on(model).elements(60).verify(label);
  }

  private static AttributeProto kernel(long... k) {
    return attr("kernel_shape", k);
  }

  private static AttributeProto strides(long... s) {
    return attr("strides", s);
  }

  private static AttributeProto pads(long... p) {
    return attr("pads", p);
  }
}
