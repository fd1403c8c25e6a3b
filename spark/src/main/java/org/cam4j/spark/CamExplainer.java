package org.cam4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

/**
 * Class activation maps as a Spark ML {@link Transformer}: each row's photo becomes its
 * predictions, the class explained and the maps (see {@link Cam4jSpark#explain} for the columns
 * and how the work is spread). Params are read and set by accessor methods; it saves with
 * {@link #write()} and loads with {@link #load(String)}, also inside a saved Pipeline.
 *
 * <pre>{@code
 * CamExplainer cam = new CamExplainer().setModelPath("mobilenet.onnx")
 *     .setLabelsPath("labels.txt").setPreprocessing("inception").setMethod("gradcam");
 * Dataset<Row> maps = cam.transform(spark.read().format("binaryFile").load("photos/"));
 * }</pre>
 */
public final class CamExplainer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final DefaultParamsReadable<CamExplainer> READABLE =
      new DefaultParamsReadable<>() { };

  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> labelsPath;
  private final Param<String> preprocessing;
  private final Param<String> method;
  private final Param<String> layer;
  private final Param<String> targetClass;
  private final Param<String> targetCol;
  private final IntParam topK;
  private final Param<String> inputCol;
  private final StringArrayParam outputs;
  private final IntParam threadsPerTask;

  /** A transformer with a random uid and the defaults of {@link ExplainSpec.Builder}. */
  public CamExplainer() {
    this(Identifiable$.MODULE$.randomUID("camExplainer"));
  }

  /** A transformer with the given uid (as loading uses). */
  public CamExplainer(String uid) {
    this.uid = uid;
    // made after the uid is set: a Param records its parent's uid
    modelPath = new Param<>(this, "modelPath", "the ONNX model file, as the driver reads it");
    labelsPath = new Param<>(this, "labelsPath",
        "the labels file (text, synset.txt or JSON index); unset: placeholder labels");
    preprocessing = new Param<>(this, "preprocessing",
        "keras-caffe, torch, tf, inception, raw or a spec; unset: the model's sidecar, else torch");
    method = new Param<>(this, "method", "the CAM method, e.g. gradcam");
    layer = new Param<>(this, "layer", "auto, a tensor name, a block name or a suffix");
    targetClass = new Param<>(this, "targetClass",
        "the class explained: top, an index, or a label, synonym or WordNet id");
    targetCol = new Param<>(this, "targetCol",
        "a column holding each row's class (index or name; null: top); overrides targetClass");
    topK = new IntParam(this, "topK", "predictions listed per row (>= 1)");
    inputCol = new Param<>(this, "inputCol",
        "the photo column: binary bytes (binaryFile's content) or string paths");
    outputs = new StringArrayParam(this, "outputs", "optional outputs: raw, map, overlay");
    threadsPerTask = new IntParam(this, "threadsPerTask",
        "ONNX Runtime intra-op threads per task; 0: spark.task.cpus");
    setDefault(method, "gradcam");
    setDefault(layer, "auto");
    setDefault(targetClass, "top");
    setDefault(topK, 5);
    setDefault(inputCol, "content");
    setDefault(outputs, new String[] {"raw"});
    setDefault(threadsPerTask, 0);
  }

  /** Reads saved transformers (as Pipelines do, by reflection). */
  public static MLReader<CamExplainer> read() {
    return READABLE.read();
  }

  /** Loads a transformer saved with {@code write().save(path)}. */
  public static CamExplainer load(String path) {
    return READABLE.load(path);
  }

  /** This stage's unique id. */
  @Override
  public String uid() {
    return uid;
  }

  /** The model file param. */
  public Param<String> modelPath() {
    return modelPath;
  }

  /** The labels file param. */
  public Param<String> labelsPath() {
    return labelsPath;
  }

  /** The preprocessing param. */
  public Param<String> preprocessing() {
    return preprocessing;
  }

  /** The method param. */
  public Param<String> method() {
    return method;
  }

  /** The layer param. */
  public Param<String> layer() {
    return layer;
  }

  /** The fixed class param. */
  public Param<String> targetClass() {
    return targetClass;
  }

  /** The class column param. */
  public Param<String> targetCol() {
    return targetCol;
  }

  /** The top-k param. */
  public IntParam topK() {
    return topK;
  }

  /** The photo column param. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** The optional outputs param. */
  public StringArrayParam outputs() {
    return outputs;
  }

  /** The threads-per-task param. */
  public IntParam threadsPerTask() {
    return threadsPerTask;
  }

  /** Sets the model file. */
  public CamExplainer setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  /** Sets the labels file. */
  public CamExplainer setLabelsPath(String value) {
    set(labelsPath, value);
    return this;
  }

  /** Sets the preprocessing. */
  public CamExplainer setPreprocessing(String value) {
    set(preprocessing, value);
    return this;
  }

  /** Sets the method. */
  public CamExplainer setMethod(String value) {
    set(method, value);
    return this;
  }

  /** Sets the layer. */
  public CamExplainer setLayer(String value) {
    set(layer, value);
    return this;
  }

  /** Sets the class explained for every row. */
  public CamExplainer setTargetClass(String value) {
    set(targetClass, value);
    return this;
  }

  /** Sets the column holding each row's class. */
  public CamExplainer setTargetCol(String value) {
    set(targetCol, value);
    return this;
  }

  /** Sets how many predictions each row lists. */
  public CamExplainer setTopK(int value) {
    set(topK, value);
    return this;
  }

  /** Sets the photo column. */
  public CamExplainer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  /** Sets the optional outputs (raw, map, overlay). */
  public CamExplainer setOutputs(String... value) {
    set(outputs, value);
    return this;
  }

  /** Sets the ONNX Runtime threads per task (0: spark.task.cpus). */
  public CamExplainer setThreadsPerTask(int value) {
    set(threadsPerTask, value);
    return this;
  }

  /** The params as a spec; fails when the model path is unset or a value is malformed. */
  public ExplainSpec toSpec() {
    if (!isDefined(modelPath)) {
      throw new org.cam4j.InvalidInputException("set the model path (setModelPath)");
    }
    List<ExplainSpec.Output> chosen = new ArrayList<>();
    for (String name : getOrDefault(outputs)) {
      chosen.add(ExplainSpec.Output.parse(name));
    }
    return ExplainSpec.builder(getOrDefault(modelPath))
        .labelsPath(isDefined(labelsPath) ? getOrDefault(labelsPath) : null)
        .preprocessing(isDefined(preprocessing) ? getOrDefault(preprocessing) : null)
        .method(getOrDefault(method)).layer(getOrDefault(layer))
        .targetClass(getOrDefault(targetClass))
        .targetColumn(isDefined(targetCol) ? getOrDefault(targetCol) : null)
        .topK((Integer) getOrDefault(topK)).inputColumn(getOrDefault(inputCol))
        .outputs(chosen).threadsPerTask((Integer) getOrDefault(threadsPerTask)).build();
  }

  /** The explained rows, as {@link Cam4jSpark#explain} gives them for {@link #toSpec()}. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return Cam4jSpark.explain(dataset.toDF(), toSpec());
  }

  /**
   * The output columns for an input schema (without the provenance metadata, which needs the
   * model); fails on a missing photo or class column.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    ExplainSpec spec = toSpec();
    Cam4jSpark.checkColumns(schema, spec);
    return OutputSchema.of(schema, spec, Metadata.empty());
  }

  /** A copy with the same uid and params, {@code extra} applied. */
  @Override
  public CamExplainer copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
