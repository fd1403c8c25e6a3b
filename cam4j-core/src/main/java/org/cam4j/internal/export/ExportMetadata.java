package org.cam4j.internal.export;

import java.util.List;
import java.util.Set;
import org.cam4j.internal.graph.ModelGraph;
import org.cam4j.internal.onnx.StringStringEntryProto;

/**
 * The names an export adds to a model and the {@code metadata_props} keys that describe them.
 * Readers of an exported model (score selection, a second export) find the added outputs through
 * {@link #OUTPUTS_KEY} rather than guessing from names.
 */
public final class ExportMetadata {
  /** Metadata key listing the outputs an export added, comma-separated. */
  public static final String OUTPUTS_KEY = "cam4j.export.outputs";
  /** Optional int64 [N] input: the class to explain per image, or a negative value for top-1. */
  public static final String CLASS_INDEX = "class_index";
  /** Output int64 [N]: the class explained per image. */
  public static final String CLASS = "class";
  /** Output float32 [N,h,w]: the raw map at the layer's resolution, before ReLU. */
  public static final String CAM_RAW = "cam_raw";
  /** Output float32 [N,H,W]: the normalised map at input resolution, in [0, 1]. */
  public static final String CAM = "cam";
  /** Metadata key: the name of the image input. */
  public static final String IMAGE_INPUT_KEY = "cam4j.image.input";
  /** Metadata key: {@code nchw} or {@code nhwc}, the image input's layout. */
  public static final String IMAGE_LAYOUT_KEY = "cam4j.image.layout";
  /** Metadata key: the image input's shape, comma-separated (e.g. {@code 1,3,224,224}). */
  public static final String IMAGE_SHAPE_KEY = "cam4j.image.shape";
  /**
   * Metadata key: how a photo becomes the input, a {@code Preprocessing} spec string (only when
   * the preprocessing was given).
   */
  public static final String PREPROCESSING_KEY = "cam4j.preprocessing";
  /** Metadata key: the class names by index, one per line (only when labels were given). */
  public static final String LABELS_KEY = "cam4j.labels";
  /** The outputs an export adds, in order. */
  public static final List<String> ADDED_OUTPUTS = List.of(CLASS, CAM_RAW, CAM);

  private ExportMetadata() {
  }

  /** The outputs an earlier export added to this model (empty for any other model). */
  public static Set<String> addedOutputs(ModelGraph graph) {
    for (StringStringEntryProto e : graph.proto().getMetadataPropsList()) {
      if (e.getKey().equals(OUTPUTS_KEY)) {
        return Set.of(e.getValue().split(","));
      }
    }
    return Set.of();
  }
}
