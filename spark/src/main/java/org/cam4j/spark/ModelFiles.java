package org.cam4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.labels.LabelsException;

/**
 * The model and labels files as bytes, read once on the driver and broadcast to the executors
 * (fetched by an executor only when its JVM has not loaded the model yet).
 */
final class ModelFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String modelName;
  private final byte[] model;
  private final String labelsName;
  private final byte[] labels;

  private ModelFiles(String modelName, byte[] model, String labelsName, byte[] labels) {
    this.modelName = modelName;
    this.model = model;
    this.labelsName = labelsName;
    this.labels = labels;
  }

  /** Reads the model and (when {@code labelsPath} is not null) the labels, with cam4j's errors. */
  static ModelFiles read(Path modelPath, Path labelsPath) {
    byte[] model;
    try {
      model = Files.readAllBytes(modelPath);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("model file not found: " + modelPath);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model file " + modelPath + ": " + e.getMessage(),
          e);
    }
    if (labelsPath == null) {
      return new ModelFiles(modelPath.getFileName().toString(), model, null, null);
    }
    byte[] labels;
    try {
      labels = Files.readAllBytes(labelsPath);
    } catch (NoSuchFileException e) {
      throw new LabelsException("labels file not found: " + labelsPath, e);
    } catch (IOException e) {
      throw new LabelsException("cannot read labels file " + labelsPath + ": " + e.getMessage(),
          e);
    }
    return new ModelFiles(modelPath.getFileName().toString(), model,
        labelsPath.getFileName().toString(), labels);
  }

  String modelSha256() {
    return sha256(model);
  }

  /** The labels' SHA-256, or "" without labels. */
  String labelsSha256() {
    return labels == null ? "" : sha256(labels);
  }

  /** The model file, written into {@code dir} under its own name. */
  Path writeModel(Path dir) {
    return write(dir.resolve(modelName), model);
  }

  /** The labels file, written into {@code dir} under its own name, or null without labels. */
  Path writeLabels(Path dir) {
    return labels == null ? null : write(dir.resolve(labelsName), labels);
  }

  private static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
