package org.cam4j.explain;

import java.util.List;
import org.cam4j.labels.Prediction;

/**
 * The top-k predictions for one photo, most probable first.
 *
 * @param source where the photo came from (a path or a name)
 * @param millis time spent decoding, preprocessing and running the model
 */
public record Classification(String source, List<Prediction> predictions, double millis) {
  /** Copies the predictions. */
  public Classification {
    predictions = List.copyOf(predictions);
  }
}
