package org.cam4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.graph.ModelSignature;
import org.cam4j.render.Heatmap;
import org.cam4j.tensor.FloatTensor;

/**
 * A photo as the metrics take it: the preprocessed input [1, ...] and its map [1, H, W] at the
 * input resolution, the same values {@code explain} writes to {@code _map.npy}.
 */
record PhotoMap(FloatTensor input, FloatTensor map) {
  /** Loads and preprocesses the photo and explains it with the one method of {@code options}. */
  static PhotoMap of(Explainer explainer, Path image, ExplainOptions options) {
    BufferedImage photo = explainer.imageLoader().load(image);
    ModelSignature s = explainer.model().signature();
    FloatTensor input = explainer.preprocessing().prepare(photo, s.layout(), (int) s.width(),
        (int) s.height()).tensor();
    Explanation e = explainer.explain(photo, image.toString(), options);
    Heatmap m = e.inputMap();
    return new PhotoMap(input, FloatTensor.of(new long[] {1, m.height(), m.width()}, m.values()));
  }
}
