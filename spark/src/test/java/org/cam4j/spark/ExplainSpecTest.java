package org.cam4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.image.Preprocessing;
import org.junit.jupiter.api.Test;

/** The spec's checks and normal forms, and the photo names used in messages (no Spark needed). */
class ExplainSpecTest {
  @Test
  void aWrongMethodFailsAsTheLibraryFails() {
    String expected = assertThrows(InvalidInputException.class,
        () -> ExplainOptions.builder().method("gradkam")).getMessage();
    assertEquals(expected, assertThrows(InvalidInputException.class,
        () -> ExplainSpec.builder("m.onnx").method("gradkam")).getMessage());
  }

  @Test
  void valuesAreKeptInNormalForm() {
    ExplainSpec spec = ExplainSpec.builder("m.onnx").preprocessing("inception")
        .targetClass(" TOP ").outputs(List.of(ExplainSpec.Output.parse("Overlay"),
            ExplainSpec.Output.parse("raw"))).build();
    assertEquals(Preprocessing.INCEPTION.toString(), spec.preprocessing());
    assertEquals("top", spec.targetClass());
    assertEquals(EnumSet.of(ExplainSpec.Output.RAW, ExplainSpec.Output.OVERLAY), spec.outputs());
    assertEquals(spec, spec.toBuilder().build());
    assertEquals(spec.hashCode(), spec.toBuilder().build().hashCode());
  }

  @Test
  void malformedValuesFailWhenSet() {
    assertThrows(InvalidInputException.class, () -> ExplainSpec.Output.parse("heatmap"));
    assertThrows(InvalidInputException.class, () -> ExplainSpec.builder("m.onnx").topK(0));
    assertThrows(InvalidInputException.class,
        () -> ExplainSpec.builder("m.onnx").threadsPerTask(-1));
    assertThrows(InvalidInputException.class, () -> ExplainSpec.builder("m.onnx").layer(" "));
    assertThrows(InvalidInputException.class,
        () -> ExplainSpec.builder("m.onnx").preprocessing("mean=1;colour=red"));
  }

  @Test
  void fileUrisAreNamedAsPlainPathsInMessages() {
    assertEquals("/photos/cat.png", PhotoSource.displayName("file:/photos/cat.png"));
    assertEquals("/photos/cat.png", PhotoSource.displayName("file:///photos/cat.png"));
    assertEquals("hdfs://nn/photos/cat.png", PhotoSource.displayName("hdfs://nn/photos/cat.png"));
  }
}
