package org.cam4j.export;

import org.cam4j.explain.Target;
import org.cam4j.graph.FeatureLayout;

/**
 * An exported model: its serialised ONNX bytes and what they explain.
 *
 * @param bytes the {@code .onnx} file's content
 * @param method the method whose map the model computes
 * @param layer the tensor explained
 * @param layout how the layer holds its feature maps, resolved against its shape (the map nodes
 *     read it as [N,C,h,w], as the library's methods do)
 * @param score what is differentiated
 * @param batch the batch size the model is built for
 * @param opset the model's default-domain opset
 * @param sourceOpset the source model's default-domain opset (lower only when cam4j had to
 *     upgrade an opset 7-9 model, as it does to explain one)
 */
public record ExportedModel(byte[] bytes, String method, String layer, FeatureLayout layout,
    Target.Score score,
    int batch, int opset, int sourceOpset) {

  /** A record holding its own copy of the bytes. */
  public ExportedModel {
    bytes = bytes.clone();
  }

  /** The {@code .onnx} file's content (a copy). */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether the export's opset is newer than the source's. */
  public boolean opsetRaised() {
    return opset != sourceOpset;
  }
}
