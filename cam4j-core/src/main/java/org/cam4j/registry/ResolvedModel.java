package org.cam4j.registry;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.cam4j.image.Preprocessing;
import org.cam4j.labels.LabelsException;

/**
 * What a model argument stands for: the model file, its labels and preprocessing when known,
 * and the registry entry when it named one.
 */
public record ResolvedModel(Path model, Optional<Path> labels,
    Optional<Preprocessing> preprocessing, Optional<ModelEntry> entry) {
  /** Validates the value: every component is required (empty optionals for unknowns). */
  public ResolvedModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(entry, "entry");
  }

  /** The registry name, when the argument was one. */
  public Optional<String> registryName() {
    return entry.map(ModelEntry::name);
  }

  /** The labels file, or an error saying why there is none and how to give one. */
  public Path requireLabels() {
    if (labels.isPresent()) {
      return labels.get();
    }
    if (entry.isPresent()) {
      ModelEntry e = entry.get();
      throw new LabelsException("model '" + e.name() + "' comes without"
          + " labels: " + e.labelsNote().orElse("none are listed") + "; pass --labels PATH");
    }
    throw new LabelsException("no labels for model file " + model
        + ": pass --labels PATH");
  }
}
