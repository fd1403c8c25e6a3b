package org.cam4j.internal.autodiff;

import static org.cam4j.internal.autodiff.TinyModel.in;
import static org.cam4j.internal.graph.Onnx.attr;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gather, GatherElements, Expand, Tile, Where and Cast against finite differences. Repeated
 * indices are checked both with ScatterElements' reduction=add (opset 16+) and with the rounds
 * of plain scatters used before.
 */
class IndexingGradientTest {
  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("Gather scalar index axis 1 (class token)", TinyModel.opset(17)
            .input("x", 2, 5, 3).ints("zero", new long[0], 0)
            .node("Gather", in("x", "zero"), "y", attr("axis", 1L))),
        Arguments.of("Gather repeated and negative indices, opset 13", TinyModel.opset(13)
            .input("x", 2, 5, 3).ints("idx", new long[] {2, 2}, 1, -1, 1, 4)
            .node("Gather", in("x", "idx"), "y", attr("axis", 1L))),
        Arguments.of("Gather repeated indices, opset 16 reduction add", TinyModel.opset(16)
            .input("x", 2, 5, 3).ints("idx", 2, 0, 2, 2)
            .node("Gather", in("x", "idx"), "y", attr("axis", -1L))),
        Arguments.of("Gather opset 11 axis 0", TinyModel.opset(11)
            .input("x", 4, 3).ints("idx", 3, 0, 3)
            .node("Gather", in("x", "idx"), "y")),
        Arguments.of("Gather index from Shape arithmetic (last token)", TinyModel.opset(13)
            .input("x", 2, 5, 3).ints("one", new long[0], 1).ints("dim", new long[0], 1)
            .node("Shape", in("x"), "s")
            .node("Gather", in("s", "dim"), "t")
            .node("Sub", in("t", "one"), "last")
            .node("Gather", in("x", "last"), "y", attr("axis", 1L))),
        Arguments.of("GatherElements repeated indices, opset 13", TinyModel.opset(13)
            .input("x", 2, 3).ints("idx", new long[] {2, 4}, 0, 2, 2, -1, 1, 1, 0, 1)
            .node("GatherElements", in("x", "idx"), "y", attr("axis", 1L))),
        Arguments.of("GatherElements axis 0, opset 16", TinyModel.opset(16)
            .input("x", 3, 2).ints("idx", new long[] {4, 2}, 0, 2, 2, 1, 1, 1, 0, 0)
            .node("GatherElements", in("x", "idx"), "y")),
        Arguments.of("Expand [C,1] to [N,C,W]", TinyModel.opset(13)
            .input("x", 3, 1).ints("shape", 2, 3, 4).random("w", 2, 3, 4)
            .node("Expand", in("x", "shape"), "e")
            .node("Mul", in("e", "w"), "y")),
        Arguments.of("Expand [1,T,C] to batch 2 (class token)", TinyModel.opset(13)
            .input("x", 1, 2, 3).ints("shape", 2, 1, 1).random("w", 2, 2, 3)
            .node("Expand", in("x", "shape"), "e")
            .node("Mul", in("e", "w"), "y")),
        Arguments.of("Tile", TinyModel.opset(13)
            .input("x", 2, 3).ints("repeats", 3, 2).random("w", 6, 6)
            .node("Tile", in("x", "repeats"), "t")
            .node("Mul", in("t", "w"), "y")),
        Arguments.of("Where constant condition, variable both sides", TinyModel.opset(13)
            .input("x", 2, 3, 4).random("w", 3, 4)
            .weights("c", new long[] {1, 4}, new float[] {1, 0, 0, 1})
            .node("Cast", in("c"), "cond", attr("to", 9L))
            .node("Tanh", in("x"), "t")
            .node("Where", in("cond", "x", "t"), "m")
            .node("Mul", in("m", "w"), "y")),
        Arguments.of("Where condition from the layer, constant other side", TinyModel.opset(13)
            .input("x", 2, 3, 4).scalar("floor", -0.25f).scalar("zero", 0f)
            .node("Greater", in("x", "zero"), "cond")
            .node("Where", in("cond", "x", "floor"), "y")),
        Arguments.of("Cast float to float", TinyModel.opset(13)
            .input("x", 2, 3).random("w", 2, 3)
            .node("Cast", in("x"), "c", attr("to", 1L))
            .node("Mul", in("c", "w"), "y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void inputGradient(String label, TinyModel model) {
    GradientCheck.on(model).elements(40).verify(label);
  }
}
