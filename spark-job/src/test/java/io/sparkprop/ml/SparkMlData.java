// Test data for the Spark ML tests: the wheat-seeds rows as CSV and Parquet (same rows, same order), a regression set;
// and the tests' local Spark session.
package io.sparkprop.ml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;

final class SparkMlData {
    static final String[] VARIETIES = {"kama", "rosa", "canadian"};

    private SparkMlData() {
    }

    /** A local[2] session on the loopback address, without UI, logging warnings only (each test class's own). */
    static SparkSession localSpark(String appName) {
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        SparkSession spark = SparkSession.builder().master("local[2]").appName(appName)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Header f1..fk then the label column; rows of d, labels through names (or the raw values when null). */
    static void writeCsv(Path file, Dataset d, String label, String[] names) throws Exception {
        List<String> lines = new ArrayList<>();
        StringBuilder h = new StringBuilder();
        for (int j = 0; j < d.features; j++) h.append("f").append(j + 1).append(',');
        lines.add(h.append(label).toString());
        for (int r = 0; r < d.rows; r++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < d.features; j++) sb.append(Double.toString(d.x[r * d.features + j])).append(',');
            sb.append(names == null ? num(d.y[r]) : names[(int) d.y[r]]);
            lines.add(sb.toString());
        }
        Files.write(file, lines);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : Double.toString(v);
    }

    /** The same rows as {@link #writeCsv}, one Parquet file, in row order. */
    static void writeParquet(SparkSession spark, Path dir, Dataset d, String label, String[] names) {
        StructType schema = new StructType();
        for (int j = 0; j < d.features; j++) schema = schema.add("f" + (j + 1), DataTypes.DoubleType);
        schema = schema.add(label, names == null ? DataTypes.DoubleType : DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < d.rows; r++) {
            Object[] v = new Object[d.features + 1];
            for (int j = 0; j < d.features; j++) v[j] = d.x[r * d.features + j];
            v[d.features] = names == null ? (Object) d.y[r] : names[(int) d.y[r]];
            rows.add(RowFactory.create(v));
        }
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    }

    static Dataset seeds() {
        return Builtins.wheatSeeds(null);
    }

    /** y = sin(2 x1) + x2 · x3 + noise, 3 features in [-1, 1]. */
    static Dataset regression(int rows, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[rows * 3];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 3; j++) x[r * 3 + j] = 2 * rnd.nextDouble() - 1;
            y[r] = Math.sin(2 * x[r * 3]) + x[r * 3 + 1] * x[r * 3 + 2] + 0.05 * rnd.nextGaussian();
        }
        return new Dataset(rows, 3, 1, x, y, null);
    }

    /** LIBSVM lines with only the non-zero features (1-based indices); class labels 0..k-1. */
    static void writeSparseLibsvm(Path file, Dataset d) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < d.rows; r++) {
            StringBuilder sb = new StringBuilder(num(d.y[r]));
            for (int j = 0; j < d.features; j++) {
                double v = d.x[r * d.features + j];
                if (v != 0) sb.append(' ').append(j + 1).append(':').append(v);
            }
            lines.add(sb.toString());
        }
        Files.write(file, lines);
    }

    static String[] featureNames(int k) {
        String[] f = new String[k];
        for (int j = 0; j < k; j++) f[j] = "f" + (j + 1);
        return f;
    }
}
