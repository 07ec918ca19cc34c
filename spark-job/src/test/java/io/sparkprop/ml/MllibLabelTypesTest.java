// Every numeric label type trains as its double does, as MLlib's suite checks with MLTestingUtils.checkNumericTypes.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class MllibLabelTypesTest extends MllibFrames {
    /** MLlib's list: every numeric type a label column may have. */
    static final List<DataType> NUMERIC = List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType,
            DataTypes.LongType, DataTypes.FloatType, DataTypes.DoubleType, DataTypes.createDecimalType(10, 0));

    @Test
    void everyNumericLabelTypeFitsAsTheDoubleLabelDoes() {
        Dataset<Row> rows = frame(blobs(90, 7)).cache();
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {4, 3, 3}).setMaxIter(5).setSeed(1L);
        SparkpropClassificationModel expected = c.fit(rows);
        double[] expectedPredictions = column(expected.transform(rows), "prediction");
        // Not vacuous: the double fit predicts more than one class.
        assertTrue(java.util.Arrays.stream(expectedPredictions).distinct().count() > 1);
        for (DataType t : NUMERIC) {
            Dataset<Row> typed = rows.withColumn("label", functions.col("label").cast(t));
            assertEquals(t, typed.schema().apply("label").dataType());
            SparkpropClassificationModel actual = c.fit(typed);
            assertArrayEquals(expected.getLayers(), actual.getLayers(), t.toString());
            assertEquals(expected.weights(), actual.weights(), t.toString());
            assertEquals(expected.summary().weightsSha256(), actual.summary().weightsSha256(), t.toString());
            assertArrayEquals(expectedPredictions, column(actual.transform(typed), "prediction"), t.toString());
            assertEquals(expected.summary().accuracy(), actual.evaluate(typed).accuracy(), 1e-12, t.toString());
        }
    }

    @Test
    void aStringLabelFailsNamingTheColumnAndItsType() {
        Dataset<Row> strings = frame(blobs(30, 7)).withColumn("label", functions.col("label").cast("string"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setLayers(new int[] {4, 3, 3}).setMaxIter(1).fit(strings));
        assertTrue(e.getMessage().contains("label") && e.getMessage().toLowerCase().contains("numeric")
                && e.getMessage().contains("string"), e.getMessage());
    }
}
