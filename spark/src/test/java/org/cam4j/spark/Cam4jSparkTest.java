package org.cam4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.Metadata;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.image.ImageLoadException;
import org.cam4j.labels.Labels;
import org.cam4j.labels.Prediction;
import org.cam4j.render.ImageFiles;
import org.cam4j.tensor.FloatTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Cam4jSpark#explain} in local[2] against the plain library: the same numbers bit for
 * bit (one ONNX Runtime thread on both sides), whatever the partitioning, a corrupt photo as an
 * error row, one model load per JVM, and the rows and provenance through Parquet.
 */
class Cam4jSparkTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static List<Path> files;
  static Path folder;
  static Explainer explainer;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkFixture.session("Cam4jSparkTest");
    folder = Files.createDirectory(tmp.resolve("photos"));
    files = SparkFixture.photoFolder(folder);
    explainer = SparkFixture.explainer();
  }

  @AfterAll
  static void stop() {
    explainer.close();
    spark.stop();
  }

  private static ExplainSpec allOutputs() {
    return SparkFixture.spec().outputs(EnumSet.allOf(ExplainSpec.Output.class)).build();
  }

  @Test
  void everyPhotoGivesTheRowOfThePlainLibraryAndTheCorruptOneAnErrorRow() throws Exception {
    List<Row> rows = SparkFixture.byPath(Cam4jSpark.explain(
        SparkFixture.binaryFiles(spark, folder), allOutputs()));

    assertEquals(files.size(), rows.size());
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      Row row = rows.get(i);
      assertEquals("file:" + file, row.getAs("path"));
      assertEquals(Files.size(file), (long) row.getAs("length"));
      if (file.getFileName().toString().equals(SparkFixture.CORRUPT)) {
        String expected = assertThrows(ImageLoadException.class,
            () -> explainer.explain(file)).getMessage();
        assertEquals(expected, row.getAs("error"));
        assertNull(row.getAs("predictions"));
        assertNull(row.getAs("raw"));
      } else {
        assertSameAsLibrary(explainer.explain(file), row);
      }
    }
  }

  /** Every number as the library gives it, compared by bits. */
  static void assertSameAsLibrary(Explanation expected, Row row) {
    assertNull(row.getAs("error"), () -> "error row for " + row.getAs("path"));
    List<Row> predictions = row.getList(row.fieldIndex("predictions"));
    assertEquals(expected.predictions().size(), predictions.size());
    for (int k = 0; k < predictions.size(); k++) {
      Prediction p = expected.predictions().get(k);
      Row r = predictions.get(k);
      assertEquals(p.index(), r.getInt(0));
      assertEquals(p.label(), r.getString(1));
      assertEquals(p.wnid(), r.getString(2));
      assertEquals(Float.floatToIntBits(p.probability()), Float.floatToIntBits(r.getFloat(3)));
      assertEquals(Float.floatToIntBits(p.logit()), Float.floatToIntBits(r.getFloat(4)));
    }
    Row target = row.getAs("target");
    assertEquals(expected.target().index(), target.getInt(0));
    assertEquals(expected.target().label(), target.getString(1));
    assertEquals(Float.floatToIntBits(expected.target().logit()),
        Float.floatToIntBits(target.getFloat(3)));
    assertEquals(expected.method(), row.getAs("method"));
    assertEquals(String.join(",", expected.layers()), row.getAs("layer"));
    FloatTensor raw = expected.rawMap(expected.layers().get(0));
    assertArrayEquals(bits(raw.toArray()), bits(floats(row, "raw")));
    assertEquals(java.util.Arrays.stream(raw.shape()).mapToObj(d -> (int) d).toList(),
        row.getList(row.fieldIndex("raw_shape")));
    assertArrayEquals(bits(expected.inputMap().values()), bits(floats(row, "map")));
    assertEquals(List.of(224, 224), row.getList(row.fieldIndex("map_shape")));
    if (row.schema().getFieldIndex("overlay").isDefined()) {
      assertArrayEquals(ImageFiles.encode(expected.overlay(), Path.of("x.jpg")),
          (byte[]) row.getAs("overlay"));
    }
  }

  static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToIntBits(values[i]);
    }
    return out;
  }

  @Test
  void theRowsDoNotDependOnThePartitioning() {
    ExplainSpec spec = SparkFixture.spec().build();
    Dataset<Row> photos = SparkFixture.binaryFiles(spark, folder);
    List<Row> one = SparkFixture.byPath(Cam4jSpark.explain(photos.repartition(1), spec));
    for (int partitions : new int[] {2, 3}) {
      Dataset<Row> split = photos.repartition(partitions);
      assertEquals(partitions, split.javaRDD().getNumPartitions());
      assertEquals(one, SparkFixture.byPath(Cam4jSpark.explain(split, spec)));
    }
    assertEquals(files.size(), one.size());
  }

  @Test
  void theExplainerIsLoadedOncePerJvmAcrossJobs() {
    // two threads per task: a key no other test uses, so this test's first job loads it
    ExplainSpec spec = SparkFixture.spec().threadsPerTask(2).build();
    Dataset<Row> photos = SparkFixture.fewPhotos(spark, folder).repartition(3);
    long before = ExplainerCache.loads();
    for (int job = 0; job < 3; job++) {
      assertEquals(2, Cam4jSpark.explain(photos, spec).count());
    }
    assertEquals(before + 1, ExplainerCache.loads());
  }

  @Test
  void aPathColumnGivesTheSameRowsAsTheBytes() {
    ExplainSpec spec = SparkFixture.spec().build();
    Dataset<Row> photos = SparkFixture.binaryFiles(spark, folder);
    List<Row> fromBytes = SparkFixture.byPath(Cam4jSpark.explain(
        photos.drop("modificationTime", "length"), spec));
    List<Row> fromPaths = SparkFixture.byPath(Cam4jSpark.explain(photos.select("path"),
        spec.toBuilder().inputColumn("path").build()));
    assertEquals(fromBytes, fromPaths);
  }

  @Test
  void theClassComesFromAColumnRowByRow() {
    Dataset<Row> photos = SparkFixture.binaryFiles(spark, folder).withColumn("wanted",
        functions.when(functions.col("path").endsWith("cat.png"), functions.lit("tabby"))
            .otherwise(functions.lit("281")));
    List<Row> rows = SparkFixture.byPath(Cam4jSpark.explain(photos,
        SparkFixture.spec().targetColumn("wanted").build()));
    int tabby = Labels.load(SparkFixture.labels()).find("tabby").index();
    for (Row row : rows) {
      if (row.getAs("error") == null) {
        int expected = row.<String>getAs("path").endsWith("cat.png") ? tabby : 281;
        assertEquals(expected, row.<Row>getAs("target").getInt(0));
      }
    }
    assertEquals(files.size() - 1, rows.stream().filter(r -> r.getAs("error") == null).count());
  }

  @Test
  void rowsAndProvenanceSurviveAParquetRoundTrip() throws Exception {
    Dataset<Row> explained = Cam4jSpark.explain(SparkFixture.binaryFiles(spark, folder),
        allOutputs()).persist();
    String out = tmp.resolve("parquet").toString();
    explained.write().parquet(out);
    Dataset<Row> back = spark.read().parquet(out);

    assertEquals(SparkFixture.byPath(explained), SparkFixture.byPath(back));
    Metadata provenance = back.schema().apply("target").metadata();
    assertEquals(ModelFiles.sha256(Files.readAllBytes(SparkFixture.model())),
        provenance.getString(Cam4jSpark.MODEL_SHA256));
    assertEquals(org.cam4j.Versions.cam4j(), provenance.getString(Cam4jSpark.CAM4J_VERSION));
    assertEquals(org.cam4j.Versions.onnxRuntime(),
        provenance.getString(Cam4jSpark.ONNXRUNTIME_VERSION));
    assertEquals(spark.version(), provenance.getString(Cam4jSpark.SPARK_VERSION));
    assertTrue(provenance.getString(Cam4jSpark.PREPROCESSING).contains("128"));
  }
}
