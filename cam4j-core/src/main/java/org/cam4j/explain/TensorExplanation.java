package org.cam4j.explain;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cam4j.internal.io.AtomicFiles;
import org.cam4j.tensor.FloatTensor;
import org.cam4j.tensor.Npy;

/**
 * One method's maps for an already preprocessed batch
 * ({@link Explainer#explainTensor(FloatTensor, ExplainOptions)}).
 *
 * @param method the method's name, e.g. "gradcam"
 * @param layers the tensors explained, in order; for methods that attribute to pixels, the
 *     model's input alone
 * @param rawMaps per layer, float32 {@code [N,h,w]} before ReLU and normalisation
 *     ({@code [N,H,W]} for pixel methods)
 * @param map float32 {@code [N,H,W]} at input size, normalised as the options said
 * @param explainedClasses per image the class explained, -1 for a weighted target
 * @param target what was explained, resolved against the labels
 */
public record TensorExplanation(String method, List<String> layers, List<FloatTensor> rawMaps,
    FloatTensor map, int[] explainedClasses, Target target) {
  /** Copies the lists and the classes. */
  public TensorExplanation {
    layers = List.copyOf(layers);
    rawMaps = List.copyOf(rawMaps);
    explainedClasses = explainedClasses.clone();
  }

  /**
   * Writes the {@code explain --tensor} files into {@code dir}, all or none: {@code M.npy} (the
   * map) and {@code M_raw.npy}, or {@code M_raw_<i>.npy} per layer when there are several, where
   * M is the method's name.
   *
   * @return the files written, map first
   */
  public List<Path> save(Path dir) {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve(method + ".npy"), Npy.toBytes(map));
    for (int i = 0; i < rawMaps.size(); i++) {
      String suffix = rawMaps.size() == 1 ? "" : "_" + i;
      files.put(dir.resolve(method + "_raw" + suffix + ".npy"), Npy.toBytes(rawMaps.get(i)));
    }
    AtomicFiles.writeAll(files);
    return List.copyOf(files.keySet());
  }

  /** Per image the class explained, -1 for a weighted target; a copy. */
  @Override
  public int[] explainedClasses() {
    return explainedClasses.clone();
  }
}
