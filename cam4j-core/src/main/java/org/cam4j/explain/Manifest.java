package org.cam4j.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.InvalidInputException;
import org.cam4j.labels.Prediction;

/**
 * Provenance of one explanation, saved as {@code manifest.json}: enough to reproduce it (model
 * file and digest, preprocessing, layers, method, class, versions) and to check it (top-k,
 * timings, the files written). Immutable.
 *
 * @param created ISO-8601 instant
 * @param layerLayouts how each of {@code layers} holds its feature maps, by layer, as the layers
 *     listing says it ({@code nchw 256x7x7}, {@code nhwc 7x7x768}, {@code tokens 1+14x14}): the
 *     override given, else the layout inferred from the graph; for methods that attribute to
 *     pixels, the model's input ({@code nchw 3x224x224})
 * @param normalization how raw maps were scaled: "relu_max" or "min_max" ({@link Normalization})
 * @param timingsMs wall time per stage in milliseconds: preprocess, inference, maps
 * @param files output file name by role (overlay, heatmap, map, raw...); empty until saved
 */
public record Manifest(String cam4jVersion, String onnxRuntimeVersion, String javaVersion,
    String created, ModelInfo model, String preprocessing, ImageInfo image, String method,
    List<String> layers, Map<String, String> layerLayouts, String normalization, TargetInfo target, List<Prediction> predictions, RenderInfo render,
    Map<String, Double> timingsMs, Map<String, String> files) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the lists and maps. */
  public Manifest {
    layers = List.copyOf(layers);
    layerLayouts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
        layerLayouts == null ? Map.of() : layerLayouts));
    predictions = List.copyOf(predictions);
    timingsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs));
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /**
   * The model explained.
   *
   * @param path the file as given, or the name given instead (an embedded model's registry
   *     name), or null when the model came from bytes
   * @param sha256 the file's digest (lowercase hex), null when it came from bytes
   * @param input input tensor name and shape, e.g. {@code input [1, 3, 224, 224]}
   * @param score the tensor whose gradient is taken (pre-softmax scores)
   */
  public record ModelInfo(String path, String sha256, int opset, String input, String layout,
      String score) {
  }

  /**
   * The photo and how it became the input.
   *
   * @param crop the photo region the input shows, in photo pixels
   */
  public record ImageInfo(String source, int width, int height, int inputWidth, int inputHeight,
      Region crop) {
  }

  /** A rectangle in photo pixels. */
  public record Region(double x, double y, double width, double height) {
  }

  /**
   * The class explained.
   *
   * @param requested what was asked: "top", an index or a name
   * @param score what of the class: "logit", "softmax" or "negative"
   */
  public record TargetInfo(String requested, String score, int index, String label, String wnid,
      float probability, float logit) {
  }

  /** How the overlay was drawn. */
  public record RenderInfo(String colormap, double alpha, String blend) {
  }

  /** This manifest with the files an explanation was saved to. */
  public Manifest withFiles(Map<String, String> written) {
    return new Manifest(cam4jVersion, onnxRuntimeVersion, javaVersion, created, model,
        preprocessing, image, method, layers, layerLayouts, normalization, target, predictions, render, timingsMs, written);
  }

  /** The manifest as indented JSON, as written to {@code _manifest.json}. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the manifest as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a manifest written by {@link #toJson}. */
  public static Manifest fromJson(String json) {
    try {
      return JSON.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("not a cam4j manifest: " + e.getOriginalMessage(), e);
    }
  }
}
