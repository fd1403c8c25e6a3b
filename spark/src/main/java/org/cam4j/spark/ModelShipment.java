package org.cam4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.broadcast.Broadcast;
import org.cam4j.engine.EngineOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;

/**
 * How a task gets its explainer: from this JVM's {@link ExplainerCache} by key, else from the
 * broadcast model files, written once under Spark's per-application files folder and loaded.
 */
final class ModelShipment implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ExplainerKey key;
  private final Broadcast<ModelFiles> files;

  ModelShipment(ExplainerKey key, Broadcast<ModelFiles> files) {
    this.key = key;
    this.files = files;
  }

  ExplainerKey key() {
    return key;
  }

  /** This JVM's explainer for the model, loaded on first use. */
  ExplainerCache.Lease borrow() {
    return ExplainerCache.borrow(key, () -> {
      ModelFiles f = files.value();
      Path dir = Path.of(SparkFiles.getRootDirectory(), "cam4j", key.modelSha256());
      return load(f.writeModel(dir), f.writeLabels(dir), key);
    });
  }

  /** An explainer for the files at hand with the key's preprocessing and threads. */
  static Explainer load(Path model, Path labels, ExplainerKey key) {
    Explainer.Builder b = Explainer.builder(model)
        .preprocessing(Preprocessing.parse(key.preprocessing()))
        .engineOptions(EngineOptions.builder().intraOpThreads(key.threads()).build());
    if (labels != null) {
      b.labels(labels);
    }
    return b.build();
  }
}
