// Which columns of a DataFrame are the features, the label, the weights and the validation mark, each checked.
package io.sparkprop.spark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;

/**
 * The driver-side checks of {@link FrameInput}: every message names the setting it is about (a config key or a
 * Spark ML param) and lists the frame's columns when one is missing.
 */
final class FrameColumns {
    private FrameColumns() {
    }

    static void checkIndicator(StructType schema, String col, TrainConfig cfg) {
        if (!Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new UserError("validationIndicatorCol: no column '" + col + "' (columns: "
                    + Arrays.asList(schema.fieldNames()) + ")");
        }
        if (!schema.apply(col).dataType().equals(DataTypes.BooleanType)) {
            throw new UserError("validationIndicatorCol: column '" + col + "' is "
                    + schema.apply(col).dataType().simpleString() + "; expected boolean");
        }
        if (cfg.validationFraction() > 0) {
            throw new UserError("validationIndicatorCol and validationFraction (data.validation-fraction "
                    + cfg.validationFraction() + ") both choose the validation rows; set one of them");
        }
    }

    /** A weight column must exist, hold numbers, and be neither the label nor a feature. */
    static void checkWeight(StructType schema, String weight, String label, List<String> features,
                                    String weightKey) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(weight)) {
            throw new UserError(weightKey + ": no column '" + weight + "' (columns: " + names + ")");
        }
        if (!(schema.apply(weight).dataType() instanceof NumericType)) {
            throw new UserError(weightKey + ": column '" + weight + "' is "
                    + schema.apply(weight).dataType().simpleString() + "; expected numbers");
        }
        if (weight.equals(label) || features.contains(weight)) {
            throw new UserError(weightKey + ": column '" + weight + "' is also the label or a feature");
        }
    }

    /** As below, with no weight column. */
    public static List<String> featureColumns(StructType schema, List<String> given, String label,
                                              String featuresKey, String labelKey) {
        return featureColumns(schema, given, label, "", featuresKey, labelKey);
    }

    /**
     * [] → "features" when that is a vector column, else every column but the label and the weight column
     * ({@code weight}, "" for none); names checked.
     */
    public static List<String> featureColumns(StructType schema, List<String> given, String label, String weight,
                                              String featuresKey, String labelKey) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(label)) {
            throw new UserError(labelKey + ": no column '" + label + "' (columns: " + names + ")");
        }
        List<String> cols = new ArrayList<>(given);
        if (cols.isEmpty()) {
            if (names.contains("features") && isVector(schema.apply("features").dataType())) {
                cols.add("features");
            } else {
                names.stream().filter(n -> !n.equals(label) && !n.equals(weight)).forEach(cols::add);
            }
        }
        if (cols.contains(label)) {
            throw new UserError(featuresKey + ": the label column '" + label + "' cannot also be a feature");
        }
        for (String c : cols) {
            if (!names.contains(c)) {
                throw new UserError(featuresKey + ": no column '" + c + "' (columns: " + names + ")");
            }
            DataType t = schema.apply(c).dataType();
            if (isVector(t) ? cols.size() > 1 : !(t instanceof NumericType)) {
                throw new UserError(featuresKey + ": column '" + c + "' is " + t.simpleString() + "; expected one"
                        + " vector column or numeric columns");
            }
        }
        if (cols.isEmpty()) {
            throw new UserError(featuresKey + ": no feature columns besides the label '" + label + "'");
        }
        return cols;
    }

    static boolean isVector(DataType t) {
        return t.equals(SQLDataTypes.VectorType());
    }
}
