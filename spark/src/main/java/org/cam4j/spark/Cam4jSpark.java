package org.cam4j.spark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;
import org.cam4j.InvalidInputException;
import org.cam4j.Versions;
import org.cam4j.explain.Target;
import org.cam4j.image.Preprocessing;

/**
 * Explains every photo of a Dataset on the Spark executors: the plain entry point for users
 * without MLlib ({@link CamExplainer} wraps it as an ML {@code Transformer}).
 *
 * <p>Before any task runs, the driver reads the model and labels, loads them and explains a
 * blank picture with the spec's method, layer and class, so a wrong layer, method, class, model
 * or labels file fails the call with the same typed error {@code cam4j explain} gives. The files
 * are then broadcast; each executor JVM loads the model once (an LRU keyed by the model's
 * SHA-256, the labels, the preprocessing and the thread count), and its tasks share it. ONNX
 * Runtime gets {@code spark.task.cpus} intra-op threads per task unless the spec says otherwise.
 * The result is a pure per-row map (no shuffle); a photo that cannot be explained becomes a row
 * whose {@code error} says why.
 *
 * <pre>{@code
 * Dataset<Row> photos = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
 *     .load("photos/");
 * Dataset<Row> maps = Cam4jSpark.explain(photos, ExplainSpec.builder("mobilenet.onnx")
 *     .labelsPath("labels.txt").preprocessing("inception").method("gradcam").build());
 * }</pre>
 */
public final class Cam4jSpark {
  /** Column-metadata keys of {@code target} holding the provenance. */
  public static final String MODEL_SHA256 = "cam4j.model.sha256";
  /** The labels file's SHA-256 ("" without labels). */
  public static final String LABELS_SHA256 = "cam4j.labels.sha256";
  /** The preprocessing applied, as {@code --preprocess} takes it. */
  public static final String PREPROCESSING = "cam4j.preprocessing";
  /** The cam4j version that wrote the rows. */
  public static final String CAM4J_VERSION = "cam4j.version";
  /** The ONNX Runtime version that ran the model. */
  public static final String ONNXRUNTIME_VERSION = "cam4j.onnxruntime.version";
  /** The Spark version of the job. */
  public static final String SPARK_VERSION = "cam4j.spark.version";

  private Cam4jSpark() {
  }

  /**
   * The explained rows of {@code photos} (lazy, like any Dataset transformation): the input's
   * columns but the photo bytes, then {@code path}, {@code predictions}, {@code target},
   * {@code method}, {@code layer}, the chosen outputs and {@code error}.
   *
   * @throws org.cam4j.Cam4jException on the driver, before any task, when the spec does not fit
   *     the model, its labels or the Dataset's columns
   */
  public static Dataset<Row> explain(Dataset<Row> photos, ExplainSpec spec) {
    SparkSession spark = photos.sparkSession();
    StructType input = photos.schema();
    checkColumns(input, spec);
    int threads = spec.threadsPerTask() > 0 ? spec.threadsPerTask()
        : spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    Path modelPath = Path.of(spec.modelPath());
    Path labelsPath = spec.labelsPath() == null ? null : Path.of(spec.labelsPath());
    Preprocessing preprocessing = spec.preprocessing() != null
        ? Preprocessing.parse(spec.preprocessing())
        : Preprocessing.sidecarOf(modelPath).orElse(Preprocessing.TORCH);
    ModelFiles files = ModelFiles.read(modelPath, labelsPath);
    ExplainerKey key = new ExplainerKey(files.modelSha256(), files.labelsSha256(),
        preprocessing.toString(), threads);
    validate(spec, key, modelPath, labelsPath);
    StructType output = OutputSchema.of(input, spec, provenance(key, spark.version()));
    Broadcast<ModelFiles> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(files);
    JavaRDD<Row> rows = photos.javaRDD().mapPartitions(new PartitionExplainer(
        new ModelShipment(key, shipped), new RowExplainer(input, spec)));
    return spark.createDataFrame(rows, output);
  }

  static void checkColumns(StructType input, ExplainSpec spec) {
    List<String> names = List.of(input.fieldNames());
    if (!names.contains(spec.inputColumn())) {
      throw new InvalidInputException("the input has no column '" + spec.inputColumn()
          + "' with the photos; its columns are " + names);
    }
    DataType type = input.apply(spec.inputColumn()).dataType();
    if (!type.equals(DataTypes.BinaryType) && !type.equals(DataTypes.StringType)) {
      throw new InvalidInputException("column '" + spec.inputColumn() + "' is "
          + type.simpleString() + "; give a binary column (photo bytes) or a string column"
          + " (paths)");
    }
    if (spec.targetColumn() != null && !names.contains(spec.targetColumn())) {
      throw new InvalidInputException("the input has no class column '" + spec.targetColumn()
          + "'; its columns are " + names);
    }
  }

  /**
   * Loads the model into this JVM's cache (tasks on the driver's JVM, as in local mode, reuse
   * it) and explains a blank picture as the rows will be: the spec's layer, method and class
   * fail here if they do not fit the model.
   */
  private static void validate(ExplainSpec spec, ExplainerKey key, Path model, Path labels) {
    Target target = spec.targetColumn() != null ? Target.top()
        : Target.parse(spec.targetClass());
    try (ExplainerCache.Lease lease = ExplainerCache.borrow(key,
        () -> ModelShipment.load(model, labels, key))) {
      lease.explainer().explain(blankPhoto(), "validation", spec.options(target));
    }
  }

  private static BufferedImage blankPhoto() {
    BufferedImage photo = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = photo.createGraphics();
    try {
      g.setColor(Color.GRAY);
      g.fillRect(0, 0, 64, 64);
    } finally {
      g.dispose();
    }
    return photo;
  }

  private static Metadata provenance(ExplainerKey key, String sparkVersion) {
    return new MetadataBuilder()
        .putString(MODEL_SHA256, key.modelSha256())
        .putString(LABELS_SHA256, key.labelsSha256())
        .putString(PREPROCESSING, key.preprocessing())
        .putString(CAM4J_VERSION, Versions.cam4j())
        .putString(ONNXRUNTIME_VERSION, Versions.onnxRuntime())
        .putString(SPARK_VERSION, sparkVersion)
        .build();
  }
}
