// Bad input through Spark ML and in Parquet files: a NaN or null names its column; a bad ONNX dtype is an IAE.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.cli.CliRunner;

class SparkMlBadInputTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkMlData.localSpark("SparkMlBadInputTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** 40 rows of two features and a 0/1 label; {@code bad} replaces the second feature of row 7. */
    static Dataset<Row> vectors(double bad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create((double) (i % 2), Vectors.dense(i * 0.1, i == 6 ? bad : 4 - i * 0.1)));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features",
                SQLDataTypes.VectorType());
        return spark.createDataFrame(rows, schema).coalesce(1);
    }

    static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (; t != null; t = t.getCause()) s.append(t.getMessage()).append('\n');
        return s.toString();
    }

    @Test
    void aNaNFeatureNamesItsColumnNotDivergence() {
        SparkpropClassifier c = new SparkpropClassifier().setPartitions(1).setEpochs(2).setHiddenLayers(4)
                .setBatchSize(8);
        Exception e = assertThrows(Exception.class, () -> c.fit(vectors(Double.NaN)));
        String m = messages(e);
        assertTrue(m.contains("featuresCol: column 'features' holds NaN (element 2) in row 7 of partition 0"), m);
        assertFalse(m.contains("diverged"), m);
    }

    @Test
    void exportOnnxWithAnUnknownDtypeIsAnIllegalArgument() throws Exception {
        SparkpropClassificationModel m = new SparkpropClassifier().setPartitions(1).setEpochs(1).setHiddenLayers(4)
                .setBatchSize(8).fit(vectors(1.0));
        Path out = tmp.resolve("m.onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.exportOnnx(out.toString(), "float16"));
        assertEquals("float16: expected float32 or float64", e.getMessage());
        assertFalse(Files.exists(out));
    }

    /** A Parquet file whose column b (feature) or label holds a null in its fourth row. */
    static Path parquetWithNull(String name, boolean inLabel) {
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("label", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean bad = i == 3;
            rows.add(RowFactory.create(i * 0.1, bad && !inLabel ? null : 4 - i * 0.1,
                    bad && inLabel ? null : i % 2 == 0 ? "x" : "y"));
        }
        Path p = tmp.resolve(name);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(p.toString());
        return p;
    }

    @Test
    void nullsInParquetColumnsAreOneLineWithoutSparkLog() {
        Path feature = parquetWithNull("null-feature.parquet", false);
        Path label = parquetWithNull("null-label.parquet", true);
        assertCliRefuses(feature, "data.feature-columns: column 'b' holds null in row 4 of partition 0");
        assertCliRefuses(label, "data.label-column: column 'label' holds null in row 4 of partition 0");
    }

    static void assertCliRefuses(Path parquet, String expected) {
        CliRunner.Result r = CliRunner.run("train", "--set", "train.engine=spark", "--set", "data.format=parquet",
                "--set", "data.train=" + parquet, "--set", "train.epochs=1", "--out",
                tmp.resolve("out-" + System.nanoTime()).toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out(), "stdout");
        List<String> lines = r.err().strip().lines().toList();
        List<String> ours = lines.stream().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(1, ours.size(), r.err());
        assertTrue(ours.get(0).contains(expected), ours.get(0));
        for (String l : lines) {
            assertFalse(l.matches("^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d .*") || l.startsWith("\tat ")
                    || l.contains("Exception"), "Spark's log or a stack trace on stderr: " + l);
        }
    }
}
