package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.stream.Stream;
import org.cam4j.internal.graph.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Gemm, MatMul and inference BatchNormalization against finite differences. */
class LinearGradientTest {
  static Stream<Arguments> gemmFlags() {
    return Stream.of(Arguments.of(0, 0), Arguments.of(0, 1), Arguments.of(1, 0),
        Arguments.of(1, 1));
  }

  /** A is the input; C = rowMean(A) [M, 1] broadcasts over columns, so dA has two paths. */
  @ParameterizedTest(name = "transA={0} transB={1}")
  @MethodSource("gemmFlags")
  void gemmWithRespectToA(int transA, int transB) {
    long m = 3;
    long k = 4;
    long n = 5;
    long[] a = transA == 1 ? new long[] {k, m} : new long[] {m, k};
    long[] b = transB == 1 ? new long[] {n, k} : new long[] {k, n};
    TinyModel model = TinyModel.opset(13).input("a", a).random("b", b).ints("axes", 1 - transA)
        .node("ReduceSum", in("a", "axes"), "s", attr("keepdims", 1L));
    if (transA == 1) {
      model.node("Transpose", in("s"), "c", attr("perm", new long[] {1, 0}));
    } else {
      model.node("Identity", in("s"), "c");
    }
    model.node("Gemm", in("a", "b", "c"), "y", attr("transA", (long) transA),
        attr("transB", (long) transB), attr("alpha", 0.7f), attr("beta", 1.3f));
    GradientCheck.on(model).verify("Gemm dA transA=" + transA + " transB=" + transB);
  }

  /** B is the input; C = sum of B over K is a [N] bias broadcast over rows. */
  @ParameterizedTest(name = "transA={0} transB={1}")
  @MethodSource("gemmFlags")
  void gemmWithRespectToBAndBias(int transA, int transB) {
    long m = 3;
    long k = 4;
    long n = 5;
    long[] a = transA == 1 ? new long[] {k, m} : new long[] {m, k};
    long[] b = transB == 1 ? new long[] {n, k} : new long[] {k, n};
    TinyModel model = TinyModel.opset(11).input("b", b).random("a", a)
        .node("ReduceSum", in("b"), "c", attr("axes", new long[] {transB}), attr("keepdims", 0L))
        .node("Gemm", in("a", "b", "c"), "y", attr("transA", (long) transA),
            attr("transB", (long) transB), attr("alpha", 1.5f), attr("beta", 0.5f));
    GradientCheck.on(model).verify("Gemm dB,dC[N] transA=" + transA + " transB=" + transB);
  }

  @Test
  void gemmAtOpset10() {
    TinyModel model = TinyModel.opset(10).input("x", 3, 4).random("w", 5, 4).random("b", 5)
        .node("Gemm", in("x", "w", "b"), "y", attr("transB", 1L), attr("alpha", 0.5f));
    GradientCheck.on(model).verify("Gemm opset 10");
  }

  @Test
  void gemmScalarBiasAndDefaults() {
    TinyModel model = TinyModel.opset(13).input("x", 2, 6).random("w", 6, 4)
        .node("ReduceMean", in("x"), "c", attr("keepdims", 0L))
        .node("Gemm", in("x", "w", "c"), "y");
    GradientCheck.on(model).verify("Gemm scalar bias");
  }

  static Stream<Arguments> matMuls() {
    return Stream.of(
        Arguments.of("2-D x@W", TinyModel.opset(13).input("x", 3, 4).random("w", 4, 5)
            .node("MatMul", in("x", "w"), "y")),
        Arguments.of("2-D W@x", TinyModel.opset(13).input("x", 4, 5).random("w", 3, 4)
            .node("MatMul", in("w", "x"), "y")),
        Arguments.of("3-D x@W 2-D broadcast", TinyModel.opset(13).input("x", 2, 3, 4)
            .random("w", 4, 5).node("MatMul", in("x", "w"), "y")),
        Arguments.of("2-D x@W 3-D broadcast", TinyModel.opset(13).input("x", 3, 4)
            .random("w", 2, 4, 5).node("MatMul", in("x", "w"), "y")),
        Arguments.of("3-D [1,3,4]x@[2,4,5]W", TinyModel.opset(13).input("x", 1, 3, 4)
            .random("w", 2, 4, 5).node("MatMul", in("x", "w"), "y")),
        Arguments.of("4-D W[2,1,3,4]@x[3,4,2]", TinyModel.opset(13).input("x", 3, 4, 2)
            .random("w", 2, 1, 3, 4).node("MatMul", in("w", "x"), "y")),
        Arguments.of("batched Gram x@x^T", TinyModel.opset(13).input("x", 2, 3, 4)
            .node("Transpose", in("x"), "xt", attr("perm", new long[] {0, 2, 1}))
            .node("MatMul", in("x", "xt"), "y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matMuls")
  void matMul(String label, TinyModel model) {
    GradientCheck.on(model).verify("MatMul " + label);
  }

  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {11, 15})
  void batchNormalization(int opset) {
    TinyModel model = TinyModel.opset(opset).input("x", 2, 3, 4, 4);
    model.random("scale", 3).random("bias", 3).random("mean", 3)
        .weights("var", new long[] {3}, model.uniform(3, 0.2, 2))
        .node("BatchNormalization", in("x", "scale", "bias", "mean", "var"), "y",
            attr("epsilon", 1e-3f));
    GradientCheck.on(model).verify("BatchNormalization opset " + opset);
  }
}
