package org.cam4j.autodiff;

import static org.cam4j.autodiff.TinyModel.in;
import static org.cam4j.graph.Onnx.attr;

import org.junit.jupiter.api.Test;

class ScratchOldOpsetTest {
  @Test
  void maxPool10() {
    TinyModel m = TinyModel.opset(10).input("x", 1, 2, 7, 7);
    m.inputValues(m.distinct(m.inputSize(), 2.0 / m.inputSize()));
    m.node("MaxPool", in("x"), "y", attr("kernel_shape", new long[] {3, 3}),
        attr("strides", new long[] {2, 2}), attr("pads", new long[] {1, 1, 1, 1}));
    GradientCheck.on(m).step(1e-3).verify("MaxPool opset 10");
  }

  @Test
  void slice10() {
    TinyModel m = TinyModel.opset(10).input("x", 1, 2, 7, 7).ints("s", 1).ints("e", 5).ints("a", 2)
        .node("Slice", in("x", "s", "e", "a"), "y");
    GradientCheck.on(m).verify("Slice opset 10");
  }

  @Test
  void misc10() {
    TinyModel m = TinyModel.opset(10).input("x", 1, 2, 7, 7).random("w", 3, 2, 3, 3)
        .node("Conv", in("x", "w"), "c", attr("strides", new long[] {2, 2}))
        .node("ReduceMean", in("c"), "r", attr("axes", new long[] {2}))
        .node("Add", in("r", "c"), "s")
        .node("Softmax", in("s"), "y");
    GradientCheck.on(m).verify("misc opset 10");
  }
}
