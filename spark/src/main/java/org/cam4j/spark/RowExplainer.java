package org.cam4j.spark;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cam4j.Cam4jException;
import org.cam4j.explain.Target;
import org.cam4j.explain.ExplainOptions;
import org.cam4j.explain.Explainer;
import org.cam4j.explain.Explanation;
import org.cam4j.labels.Prediction;
import org.cam4j.render.Heatmap;
import org.cam4j.render.ImageFiles;
import org.cam4j.tensor.FloatTensor;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns one input row into one output row ({@link OutputSchema}): reads the photo, explains it
 * and lays out the results; a cam4j error (a photo that cannot be read, a class the labels do
 * not know) becomes the row's {@code error}, with the other cam4j columns null.
 */
final class RowExplainer implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Path JPEG = Path.of("overlay.jpg");

  private final ExplainSpec spec;
  private final int[] kept;
  private final boolean addsPath;
  private final int inputIndex;
  private final boolean inputIsBytes;
  private final int pathIndex;
  private final int targetIndex;
  private transient ExplainOptions fixedOptions;

  RowExplainer(StructType input, ExplainSpec spec) {
    this.spec = spec;
    this.kept = OutputSchema.kept(input, spec.inputColumn());
    this.addsPath = OutputSchema.addsPath(input);
    this.inputIndex = input.fieldIndex(spec.inputColumn());
    this.inputIsBytes = input.fields()[inputIndex].dataType().equals(DataTypes.BinaryType);
    int path = List.of(input.fieldNames()).indexOf("path");
    this.pathIndex = path >= 0 ? path : inputIsBytes ? -1 : inputIndex;
    this.targetIndex = spec.targetColumn() == null ? -1 : input.fieldIndex(spec.targetColumn());
  }

  Row explain(Row in, Explainer explainer) {
    List<Object> values = new ArrayList<>();
    for (int i : kept) {
      values.add(in.get(i));
    }
    String location = pathIndex < 0 || in.isNullAt(pathIndex) ? null : in.getString(pathIndex);
    if (addsPath) {
      values.add(location);
    }
    String source = PhotoSource.displayName(location);
    try {
      BufferedImage photo = inputIsBytes
          ? PhotoSource.decode(in.isNullAt(inputIndex) ? null : (byte[]) in.get(inputIndex),
              source)
          : PhotoSource.read(location);
      Explanation e = explainer.explain(photo, source == null ? "image data" : source,
          options(in));
      addResults(values, e);
      values.add(null);
    } catch (Cam4jException e) {
      addEmptyResults(values);
      values.add(e.getMessage());
    }
    return RowFactory.create(values.toArray());
  }

  private ExplainOptions options(Row in) {
    if (targetIndex < 0) {
      if (fixedOptions == null) {
        fixedOptions = spec.options(Target.parse(spec.targetClass()));
      }
      return fixedOptions;
    }
    Object v = in.get(targetIndex);
    Target target = v == null ? Target.top()
        : v instanceof Number n ? Target.index(n.intValue())
        : Target.parse(v.toString());
    return spec.options(target);
  }

  private void addResults(List<Object> values, Explanation e) {
    List<Row> predictions = new ArrayList<>();
    for (Prediction p : e.predictions()) {
      predictions.add(RowFactory.create(p.index(), p.label(), p.wnid(), p.probability(),
          p.logit()));
    }
    // the row encoder takes a Scala Seq for an array of structs
    values.add(CollectionConverters.asScala(predictions));
    Prediction t = e.target();
    values.add(RowFactory.create(t.index(), t.label(), t.probability(), t.logit()));
    values.add(e.method());
    values.add(String.join(",", e.layers()));
    if (spec.outputs().contains(ExplainSpec.Output.RAW)) {
      FloatTensor raw = e.rawMap(e.layers().get(0));
      values.add(raw.toArray());
      values.add(java.util.Arrays.stream(raw.shape()).mapToInt(Math::toIntExact).toArray());
    }
    if (spec.outputs().contains(ExplainSpec.Output.MAP)) {
      Heatmap map = e.inputMap();
      values.add(map.values());
      values.add(new int[] {map.height(), map.width()});
    }
    if (spec.outputs().contains(ExplainSpec.Output.OVERLAY)) {
      values.add(ImageFiles.encode(e.overlay(), JPEG));
    }
  }

  private void addEmptyResults(List<Object> values) {
    int columns = 4 + 2 * (spec.outputs().contains(ExplainSpec.Output.RAW) ? 1 : 0)
        + 2 * (spec.outputs().contains(ExplainSpec.Output.MAP) ? 1 : 0)
        + (spec.outputs().contains(ExplainSpec.Output.OVERLAY) ? 1 : 0);
    for (int i = 0; i < columns; i++) {
      values.add(null);
    }
  }
}
