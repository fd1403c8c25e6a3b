package org.cam4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cam4j.InvalidInputException;

/**
 * The columns of an explained Dataset: the input's columns but the photo bytes, {@code path},
 * then cam4j's columns. {@code target} carries the provenance (model SHA-256, versions) as
 * column metadata, which Parquet files keep in their footer.
 */
final class OutputSchema {
  /** A prediction: output index, label, WordNet id (null when the labels have none). */
  static final StructType PREDICTION = new StructType()
      .add("index", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType)
      .add("wnid", DataTypes.StringType)
      .add("probability", DataTypes.FloatType, false)
      .add("logit", DataTypes.FloatType, false);

  /** The class explained. */
  static final StructType TARGET = new StructType()
      .add("index", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType)
      .add("probability", DataTypes.FloatType, false)
      .add("logit", DataTypes.FloatType, false);

  private static final List<String> OWN = List.of("predictions", "target", "method", "layer",
      "raw", "raw_shape", "map", "map_shape", "overlay", "error");

  private OutputSchema() {
  }

  /** The indices of the input columns kept: all but a binary input column. */
  static int[] kept(StructType input, String inputColumn) {
    int skip = input.fieldIndex(inputColumn);
    boolean bytes = input.fields()[skip].dataType().equals(DataTypes.BinaryType);
    return java.util.stream.IntStream.range(0, input.size())
        .filter(i -> !(bytes && i == skip)).toArray();
  }

  /** Whether a {@code path} column is added (the input has none). */
  static boolean addsPath(StructType input) {
    return !List.of(input.fieldNames()).contains("path");
  }

  static StructType of(StructType input, ExplainSpec spec, Metadata provenance) {
    for (String name : input.fieldNames()) {
      if (OWN.contains(name)) {
        throw new InvalidInputException("the input already has a column '" + name
            + "', which cam4j writes; rename or drop it");
      }
    }
    List<StructField> fields = new ArrayList<>();
    for (int i : kept(input, spec.inputColumn())) {
      fields.add(input.fields()[i]);
    }
    if (addsPath(input)) {
      fields.add(field("path", DataTypes.StringType));
    }
    fields.add(field("predictions", DataTypes.createArrayType(PREDICTION, false)));
    fields.add(new StructField("target", TARGET, true, provenance));
    fields.add(field("method", DataTypes.StringType));
    fields.add(field("layer", DataTypes.StringType));
    if (spec.outputs().contains(ExplainSpec.Output.RAW)) {
      fields.add(field("raw", floats()));
      fields.add(field("raw_shape", ints()));
    }
    if (spec.outputs().contains(ExplainSpec.Output.MAP)) {
      fields.add(field("map", floats()));
      fields.add(field("map_shape", ints()));
    }
    if (spec.outputs().contains(ExplainSpec.Output.OVERLAY)) {
      fields.add(field("overlay", DataTypes.BinaryType));
    }
    fields.add(field("error", DataTypes.StringType));
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static StructField field(String name, DataType type) {
    return new StructField(name, type, true, Metadata.empty());
  }

  private static ArrayType floats() {
    return DataTypes.createArrayType(DataTypes.FloatType, false);
  }

  private static ArrayType ints() {
    return DataTypes.createArrayType(DataTypes.IntegerType, false);
  }
}
