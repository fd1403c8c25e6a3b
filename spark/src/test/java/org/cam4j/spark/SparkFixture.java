package org.cam4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cam4j.engine.EngineOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.image.Preprocessing;

/**
 * What the Spark tests share: the local[2] session, the real MobileNetV2 and its labels from
 * {@code shared/}, and a folder with the shared photos plus one corrupt file.
 */
final class SparkFixture {
  static final String CORRUPT = "corrupt.jpg";

  private SparkFixture() {
  }

  static SparkSession session(String name) {
    return SparkSession.builder().master("local[2]").appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  static Path shared() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/ not found beside the project (tests need ../shared)");
  }

  static Path model() {
    return shared().resolve("models/mobilenet_v2_1.0_224_dequant.onnx");
  }

  static Path labels() {
    return shared().resolve("labels/imagenet_labels_1001.txt");
  }

  /** The spec the tests start from: the real model, its labels and inception preprocessing. */
  static ExplainSpec.Builder spec() {
    return ExplainSpec.builder(model().toString()).labelsPath(labels().toString())
        .preprocessing("inception");
  }

  /** The plain library with what a task of local[2] uses: one ONNX Runtime thread. */
  static Explainer explainer() {
    return Explainer.builder(model()).preprocessing(Preprocessing.INCEPTION).labels(labels())
        .engineOptions(EngineOptions.builder().intraOpThreads(1).build()).build();
  }

  /** The shared photos, copied into {@code dir}, and a truncated JPEG: the files, sorted. */
  static List<Path> photoFolder(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> images = Files.list(shared().resolve("images"))) {
      for (Path image : images.filter(f -> f.toString().matches(".*\\.(png|jpg)$")).toList()) {
        files.add(Files.copy(image, dir.resolve(image.getFileName())));
      }
    }
    // a JPEG cut after its first kilobyte, as an interrupted copy leaves it
    byte[] corrupt = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("dog.jpg")), 1024);
    files.add(Files.write(dir.resolve(CORRUPT), corrupt));
    files.sort(Comparator.naturalOrder());
    return files;
  }

  static Dataset<Row> binaryFiles(SparkSession spark, Path dir) {
    return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .load(dir.toString());
  }

  /** cat.png and the corrupt file: for the tests that need a good and a bad row only. */
  static Dataset<Row> fewPhotos(SparkSession spark, Path dir) {
    return binaryFiles(spark, dir).filter(org.apache.spark.sql.functions.col("path")
        .endsWith("/cat.png").or(org.apache.spark.sql.functions.col("path").endsWith("/"
        + CORRUPT)));
  }

  /** Rows sorted by their path, for comparisons that must not depend on partitioning. */
  static List<Row> byPath(Dataset<Row> rows) {
    return rows.orderBy("path").collectAsList();
  }
}
