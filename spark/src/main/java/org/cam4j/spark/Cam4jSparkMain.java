package org.cam4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.cam4j.Cam4jException;
import org.cam4j.InvalidInputException;
import org.cam4j.ResourceUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cam4j-spark}: explains a folder of photos (read recursively with Spark's
 * {@code binaryFile} source) or a Parquet table of photos on any Spark master, and writes one
 * row per photo as Parquet or JSON, with {@code _cam4j.json} (model SHA-256, versions, the
 * spec, row and error counts) beside the rows. Exit code 0, or 3 when some photos could not be
 * explained (their rows say why) or the configuration is wrong, 1 on an internal error.
 */
@Command(name = "cam4j-spark",
    description = "Explain many photos with class activation maps on Apache Spark.")
public final class Cam4jSparkMain implements Callable<Integer> {
  private static final String IMAGE_GLOB =
      "*.{png,jpg,jpeg,bmp,gif,webp,PNG,JPG,JPEG,BMP,GIF,WEBP}";

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[N], spark://host:port, yarn... (default: spark-submit's,"
          + " else local[*]).")
  String master;

  @Option(names = "--input", required = true, paramLabel = "DIR|FILE.parquet",
      description = "A folder of photos (read recursively; png, jpg, jpeg, bmp, gif, webp), or a"
          + " Parquet table with a binary 'content' or a string 'path' column.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Folder for the rows (must not exist yet).")
  String output;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|json",
      description = "Row format: parquet (default; provenance also in the footer) or json.")
  String format;

  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "The ONNX image classifier.")
  String model;

  @Option(names = "--labels", paramLabel = "PATH", description = "Class names file.")
  String labels;

  @Option(names = "--preprocess", paramLabel = "P",
      description = "keras-caffe, torch, tf, inception, raw or a spec (default: the model's"
          + " .preprocess sidecar, else torch).")
  String preprocess;

  @Option(names = "--method", defaultValue = "gradcam", description = "The CAM method.")
  String method;

  @Option(names = "--layer", defaultValue = "auto", description = "The layer explained.")
  String layer;

  @Option(names = "--class", defaultValue = "top", paramLabel = "top|IDX|NAME",
      description = "The class explained: top, an index, or a label or WordNet id.")
  String target;

  @Option(names = "--top", defaultValue = "5", description = "Predictions listed per row.")
  int top;

  @Option(names = "--outputs", defaultValue = "raw", split = ",",
      paramLabel = "raw,map,overlay", description = "Optional columns (default raw).")
  List<String> outputs;

  @Option(names = "--threads-per-task", defaultValue = "0", paramLabel = "N",
      description = "ONNX Runtime threads per task (default: spark.task.cpus).")
  int threadsPerTask;

  @Option(names = "--verbose", description = "Print stack traces on errors.")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the options, see {@code --help}
   */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Cam4jSparkMain());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      boolean typed = e instanceof Cam4jException;
      line.getErr().println(typed ? "cam4j-spark: error: " + e.getMessage()
          : "cam4j-spark: internal error: " + e + " (rerun with --verbose for the stack trace)");
      if (parsed.hasMatchedOption("--verbose")) {
        e.printStackTrace(line.getErr());
      }
      return typed ? 3 : 1;
    });
    System.exit(cli.execute(args));
  }

  /** Runs the job; the exit code. */
  @Override
  public Integer call() throws IOException {
    ExplainSpec.Builder spec = ExplainSpec.builder(model).labelsPath(labels)
        .preprocessing(preprocess).method(method).layer(layer).targetClass(target).topK(top)
        .threadsPerTask(threadsPerTask).outputs(outputs.stream().map(ExplainSpec.Output::parse)
            .toList());
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("parquet") && !fmt.equals("json")) {
      throw new InvalidInputException("unknown --format '" + format + "'; use parquet or json");
    }
    SparkSession.Builder session = SparkSession.builder().appName("cam4j-spark");
    if (master != null) {
      session.master(master);
    } else if (System.getProperty("spark.master") == null) {
      session.master("local[*]");
    }
    SparkSession spark = session.getOrCreate();
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
      if (out.getFileSystem(hadoop).exists(out)) {
        throw new InvalidInputException("output folder " + output
            + " already exists; give a new one");
      }
      org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
      if (!in.getFileSystem(hadoop).exists(in)) {
        throw new InvalidInputException("input not found: " + input);
      }
      Dataset<Row> photos = read(spark);
      StructType schema = photos.schema();
      if (!List.of(schema.fieldNames()).contains("content")) {
        spec.inputColumn("path");
      }
      ExplainSpec chosen = spec.build();
      Dataset<Row> rows = Cam4jSpark.explain(photos, chosen);
      long start = System.nanoTime();
      rows.write().format(fmt).save(output);
      double seconds = (System.nanoTime() - start) / 1e9;
      Dataset<Row> written = spark.read().format(fmt).load(output);
      long total = written.count();
      long failed = written.filter(functions.col("error").isNotNull()).count();
      writeProvenance(out.getFileSystem(hadoop),
          new org.apache.hadoop.fs.Path(out, "_cam4j.json"),
          rows.schema().apply("target").metadata(), chosen, total, failed);
      System.err.printf(Locale.ROOT, "cam4j-spark: %d rows (%d errors) in %.1f s (%.2f photos/s)"
          + " -> %s%n", total, failed, seconds, total / seconds, output);
      return failed == 0 ? 0 : 3;
    } finally {
      spark.stop();
    }
  }

  private Dataset<Row> read(SparkSession spark) {
    if (input.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      Dataset<Row> table = spark.read().parquet(input);
      StructType s = table.schema();
      boolean bytes = List.of(s.fieldNames()).contains("content")
          && s.apply("content").dataType().equals(DataTypes.BinaryType);
      boolean paths = List.of(s.fieldNames()).contains("path")
          && s.apply("path").dataType().equals(DataTypes.StringType);
      if (!bytes && !paths) {
        throw new InvalidInputException(input + " has neither a binary 'content' nor a string"
            + " 'path' column");
      }
      return table;
    }
    return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", IMAGE_GLOB).load(input);
  }

  private static void writeProvenance(FileSystem fs, org.apache.hadoop.fs.Path file,
      Metadata provenance, ExplainSpec spec, long rows, long errors) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (String key : List.of(Cam4jSpark.MODEL_SHA256, Cam4jSpark.LABELS_SHA256,
        Cam4jSpark.PREPROCESSING, Cam4jSpark.CAM4J_VERSION, Cam4jSpark.ONNXRUNTIME_VERSION,
        Cam4jSpark.SPARK_VERSION)) {
      json.put(key, provenance.getString(key));
    }
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("model", spec.modelPath());
    options.put("labels", spec.labelsPath());
    options.put("method", spec.method());
    options.put("layer", spec.layer());
    options.put("class", spec.targetClass());
    options.put("top", spec.topK());
    List<String> chosen = new ArrayList<>();
    spec.outputs().forEach(o -> chosen.add(o.name().toLowerCase(Locale.ROOT)));
    options.put("outputs", chosen);
    json.put("spec", options);
    json.put("rows", rows);
    json.put("errors", errors);
    try (OutputStream stream = fs.create(file, false)) {
      stream.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(json));
    } catch (IOException e) {
      throw new ResourceUnavailableException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
