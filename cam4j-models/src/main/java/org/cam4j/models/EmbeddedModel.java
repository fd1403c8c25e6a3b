package org.cam4j.models;

import java.nio.file.Path;
import org.cam4j.Cam4j;
import org.cam4j.explain.Explainer;
import org.cam4j.registry.ModelCache;
import org.cam4j.registry.ModelRegistry;
import org.cam4j.registry.ResolvedModel;

/**
 * The embedded default model, {@value #NAME}: ImageNet MobileNetV2 (width 1.0, 224x224, 1001
 * classes with 0 = background) from Google Coral's test data, converted from TFLite to a float32
 * ONNX graph; Apache-2.0, provenance in this jar's {@code META-INF/NOTICE}. Its labels and
 * preprocessing ({@code inception}) come with it. The sizes and SHA-256 digests recorded here
 * are checked whenever a file is copied out of the jar, so a corrupted jar fails instead of
 * explaining with damaged weights.
 */
public final class EmbeddedModel {
  /** The registry name: {@code --model mobilenetv2-embedded}, the CLI's default. */
  public static final String NAME = ModelRegistry.EMBEDDED_DEFAULT;

  /** SHA-256 of the model file, as manifests record it. */
  public static final String SHA256 =
      "0e988c302ef9d4fedfb42c28f0a3cce629169a30aa02bcb6e91e9a894d48c8ff";

  private static final String FOLDER = "/org/cam4j/models/mobilenetv2/";

  static final ResourceFile MODEL = new ResourceFile(
      FOLDER + "mobilenet_v2_1.0_224_dequant.onnx", NAME + ".onnx", 13_995_356, SHA256);
  static final ResourceFile LABELS = new ResourceFile(FOLDER + "imagenet_labels_1001.txt",
      "imagenet_labels_1001.txt", 21_686,
      "b8aaeb5630c62626a7d124a05c0e14230a7ffdd2136a31d0190a4fb71c1d82f1");
  static final ResourceFile PREPROCESSING = new ResourceFile(
      FOLDER + "mobilenet_v2_1.0_224_dequant.onnx.preprocess", NAME + ".onnx.preprocess", 130,
      "502ca7d23e6264d89b10fc4d821acac83d75864f71296732bffda5b5ca1f233b");

  private EmbeddedModel() {
  }

  /** The model ready to explain, with its labels and preprocessing: {@link Cam4j#load()}. */
  public static Explainer load() {
    return Cam4j.load();
  }

  /**
   * The model file, copied on first use into the cache folder of this environment
   * ({@link ModelCache#fromEnvironment}), with its labels and preprocessing sidecar beside it.
   */
  public static Path path() {
    return resolve().model();
  }

  /** The model, labels and preprocessing, copied into the cache folder when missing. */
  public static ResolvedModel resolve() {
    return new MobileNetV2Provider().resolve(ModelCache.fromEnvironment().dir());
  }
}
