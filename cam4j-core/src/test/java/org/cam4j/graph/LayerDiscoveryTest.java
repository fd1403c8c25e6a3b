package org.cam4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cam4j.SharedData;
import org.cam4j.engine.CamModel;
import org.cam4j.internal.text.EditDistance;
import org.cam4j.tensor.Layout;
import org.junit.jupiter.api.Test;

class LayerDiscoveryTest {
  @Test
  void realMobileNetV2DefaultsToLastConvFeatureMap() {
    try (CamModel m = CamModel.load(SharedData.path("models/mobilenet_v2_1.0_224_dequant.onnx"))) {
      LayerCatalog layers = m.layers();
      assertEquals("MobilenetV2/Conv_1/Relu6", layers.defaultLayer().name());
      assertArrayEquals(new long[] {1, 1280, 7, 7}, layers.defaultLayer().shape());
      assertEquals(1001, m.classes());
      assertEquals("logits", m.signature().score().name());
      assertEquals(Layout.NCHW, m.signature().layout());
      // block outputs named in the model card are candidates, in graph order
      List<String> names = layers.candidates().stream().map(LayerCatalog.Layer::name).toList();
      int block2 = names.indexOf("MobilenetV2/expanded_conv_2/add");
      int block12 = names.indexOf("MobilenetV2/expanded_conv_12/add");
      assertTrue(block2 >= 0 && block12 > block2, "block outputs in order: " + names);
      assertArrayEquals(new long[] {1, 96, 14, 14}, layers.resolve("expanded_conv_12/add").shape());
      assertTrue(layers.candidates().stream().allMatch(l -> l.shape()[2] * l.shape()[3] > 1));
    }
  }

  @Test
  void resnet18DefaultsToLayer4AndMatchesBlockNames() {
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      LayerCatalog layers = m.layers();
      String layer4 = "/layer4/layer4.1/relu_1/Relu_output_0";
      assertEquals(layer4, layers.defaultLayer().name());
      assertArrayEquals(new long[] {1, 512, 7, 7}, layers.defaultLayer().shape());
      assertEquals(layer4, layers.resolve("layer4").name());
      assertEquals("/layer3/layer3.1/relu_1/Relu_output_0", layers.resolve("layer3").name());
      assertEquals(layer4, layers.resolve("auto").name());
      assertEquals("/maxpool/MaxPool_output_0", layers.resolve("maxpool").name());
    }
  }

  @Test
  void squeezeNetDefaultSkipsTheClassScoreMap() {
    try (CamModel m = CamModel.load(SharedData.path("models/random/squeezenet1_1_random.onnx"))) {
      assertEquals("/features/features.12/Concat_output_0", m.layers().defaultLayer().name());
    }
  }

  /** The classifier's Transpose -> LayerNorm on the pooled [1,1,1,256] vector is no map. */
  @Test
  void convNextDefaultsToTheLastStageBeforeGlobalPooling() {
    try (CamModel m = CamModel.load(SharedData.path("models/random/convnext_tiny_random.onnx"))) {
      LayerCatalog layers = m.layers();
      assertEquals("onnx::GlobalAveragePool_268", layers.defaultLayer().name());
      assertArrayEquals(new long[] {1, 256, 7, 7}, layers.defaultLayer().shape());
      assertTrue(layers.candidates().stream().noneMatch(l -> l.name().contains("classifier")),
          layers.candidates().toString());
    }
  }

  /** Squeeze-excitation pools inside every block: the maps after its gating Mul stay. */
  @Test
  void efficientNetKeepsTheMapsAfterSqueezeExcitation() {
    try (CamModel m = CamModel.load(SharedData.path("models/random/efficientnet_b0_random.onnx"))) {
      LayerCatalog layers = m.layers();
      assertEquals("/features/features.8/features.8.2/Mul_output_0", layers.defaultLayer().name());
      List<String> names = layers.candidates().stream().map(LayerCatalog.Layer::name).toList();
      assertTrue(names.contains("/features/features.5/features.5.2/Add_output_0"), names.toString());
    }
  }

  @Test
  void unknownLayerSuggestsTheFiveClosestNames() {
    try (CamModel m = CamModel.load(SharedData.path("models/random/resnet18_random.onnx"))) {
      UnknownLayerException e = assertThrows(UnknownLayerException.class,
          () -> m.layers().resolve("layer9_relu"));
      assertEquals(5, e.suggestions().size());
      assertTrue(e.getMessage().startsWith("unknown layer 'layer9_relu'; closest layers: "),
          e.getMessage());
      List<String> names = m.layers().candidates().stream().map(LayerCatalog.Layer::name).toList();
      assertTrue(names.containsAll(e.suggestions()), e.getMessage());
      assertEquals("/relu/Relu_output_0", e.suggestions().get(0));
    }
  }

  @Test
  void fuzzyNamesNormalisePunctuationAndCase() {
    assertEquals("conv5_block3_out", LayerCatalog.normalise("conv5_block3_out"));
    assertEquals("layer4_layer4_1_relu_1_relu_output_0",
        LayerCatalog.normalise("/layer4/layer4.1/relu_1/Relu_output_0"));
    assertEquals(3, org.cam4j.internal.text.EditDistance.between("kitten", "sitting"));
  }
}
