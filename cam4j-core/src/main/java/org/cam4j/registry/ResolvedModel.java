package org.cam4j.registry;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.cam4j.image.Preprocessing;
import org.cam4j.labels.LabelsException;

/**
 * What a model argument stands for: the model file, its labels and preprocessing when known,
 * and the registry entry when it named a download, or the name when it named an embedded model.
 *
 * @param embeddedName the name of the embedded model (see {@link EmbeddedModelProvider}) whose
 *     files {@code model} and {@code labels} are copies of; empty for any other model
 */
public record ResolvedModel(Path model, Optional<Path> labels,
    Optional<Preprocessing> preprocessing, Optional<ModelEntry> entry,
    Optional<String> embeddedName) {
  /** Checks that no field is null and that a model is not both a download and embedded. */
  public ResolvedModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(embeddedName, "embeddedName");
    if (entry.isPresent() && embeddedName.isPresent()) {
      throw new IllegalArgumentException("model '" + embeddedName.get() + "' cannot be both"
          + " embedded and the download '" + entry.get().name() + "'");
    }
  }

  /** The embedded model {@code name}, copied to {@code model} and {@code labels}. */
  public static ResolvedModel embedded(String name, Path model, Path labels,
      Preprocessing preprocessing) {
    return new ResolvedModel(model, Optional.of(labels), Optional.of(preprocessing),
        Optional.empty(), Optional.of(name));
  }

  /** The registry name, when the argument was one (a download or an embedded model). */
  public Optional<String> registryName() {
    return entry.map(ModelEntry::name).or(() -> embeddedName);
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
