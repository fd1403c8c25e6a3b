package org.cam4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cam4j.Cam4jException;
import org.cam4j.InvalidInputException;
import org.cam4j.explain.Target;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.graph.ModelLoadException;
import org.cam4j.labels.LabelsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CamExplainer} as an ML Transformer: saved and loaded with its params, the same rows as
 * {@link Cam4jSpark#explain}; and configuration errors raised on the driver while the plan is
 * built (no Dataset exists yet, so no task can have run), typed as {@code cam4j explain} types
 * them.
 */
class CamExplainerTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static Path folder;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkFixture.session("CamExplainerTest");
    folder = Files.createDirectory(tmp.resolve("photos"));
    SparkFixture.photoFolder(folder);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static CamExplainer configured() {
    return new CamExplainer().setModelPath(SparkFixture.model().toString())
        .setLabelsPath(SparkFixture.labels().toString()).setPreprocessing("inception")
        .setMethod("gradcam++").setTargetClass("tabby").setTopK(3).setOutputs("raw", "map");
  }

  @Test
  void savedAndLoadedItKeepsItsParamsAndGivesTheSameRows() throws Exception {
    CamExplainer cam = configured();
    String saved = tmp.resolve("cam").toString();
    cam.write().overwrite().save(saved);
    CamExplainer loaded = CamExplainer.load(saved);

    assertEquals(cam.uid(), loaded.uid());
    assertEquals(cam.toSpec(), loaded.toSpec());
    assertEquals("gradcam++", loaded.getOrDefault(loaded.method()));
    Dataset<Row> photos = SparkFixture.fewPhotos(spark, folder);
    List<Row> rows = SparkFixture.byPath(loaded.transform(photos));
    assertEquals(SparkFixture.byPath(Cam4jSpark.explain(photos, cam.toSpec())), rows);
    // the planned schema lacks only the provenance metadata, known once the model is read
    assertEquals(loaded.transformSchema(photos.schema()).catalogString(),
        loaded.transform(photos).schema().catalogString());
    assertEquals(2, rows.size());
    Row first = rows.get(0);
    assertEquals(3, first.getList(first.fieldIndex("predictions")).size());
    assertEquals("gradcam++", first.getAs("method"));
  }

  @Test
  void theTransformerExplainsAsTheLibraryDoes() {
    List<Row> rows = SparkFixture.byPath(configured().setOutputs("raw", "map", "overlay")
        .setTargetClass("top").setTopK(5).setMethod("gradcam")
        .transform(SparkFixture.fewPhotos(spark, folder)));
    try (Explainer explainer = SparkFixture.explainer()) {
      Row cat = rows.stream().filter(r -> r.<String>getAs("path").endsWith("/cat.png"))
          .findFirst().orElseThrow();
      Cam4jSparkTest.assertSameAsLibrary(explainer.explain(
          Path.of(cat.<String>getAs("path").substring("file:".length()))), cat);
    }
  }

  @Test
  void configurationErrorsFailOnTheDriverWithTheLibrarysError() {
    Dataset<Row> photos = SparkFixture.binaryFiles(spark, folder);
    assertSameError(photos, SparkFixture.spec().layer("no_such_layer").build(),
        ExplainOptions.builder().layer("no_such_layer").build());
    assertSameError(photos, SparkFixture.spec().targetClass("no such class").build(),
        ExplainOptions.builder().target(Target.parse("no such class")).build());
    assertSameError(photos, SparkFixture.spec().targetClass("5000").build(),
        ExplainOptions.builder().target(Target.index(5000)).build());

    InvalidInputException method = assertThrows(InvalidInputException.class,
        () -> configured().setMethod("no-such-method").transform(photos));
    assertEquals(assertThrows(InvalidInputException.class,
        () -> ExplainOptions.builder().method("no-such-method")).getMessage(),
        method.getMessage());
    assertThrows(ModelLoadException.class, () -> Cam4jSpark.explain(photos,
        ExplainSpec.builder(tmp.resolve("missing.onnx").toString()).build()));
    assertThrows(LabelsException.class, () -> Cam4jSpark.explain(photos,
        SparkFixture.spec().labelsPath(tmp.resolve("missing.txt").toString()).build()));
    assertThrows(InvalidInputException.class, () -> Cam4jSpark.explain(photos,
        SparkFixture.spec().inputColumn("image").build()));
    assertThrows(InvalidInputException.class, () -> Cam4jSpark.explain(photos.select("length"),
        SparkFixture.spec().inputColumn("length").build()));
    assertThrows(InvalidInputException.class, () -> new CamExplainer().transform(photos));
  }

  /** Cam4jSpark fails as the library fails on a photo with the same options. */
  private static void assertSameError(Dataset<Row> photos, ExplainSpec spec,
      ExplainOptions options) {
    Cam4jException expected;
    try (Explainer explainer = SparkFixture.explainer()) {
      expected = assertThrows(Cam4jException.class,
          () -> explainer.explain(SparkFixture.shared().resolve("images/cat.png"), options));
    }
    Cam4jException actual = assertThrows(Cam4jException.class,
        () -> Cam4jSpark.explain(photos, spec));
    assertEquals(expected.getClass(), actual.getClass());
    assertEquals(expected.getMessage(), actual.getMessage());
  }
}
