// What the MLlib drop-in tests share: one local SparkSession per class, small labelled frames and their log-loss.
package io.sparkprop.ml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Frames have a double "label" (class index) and a vector "features" column, as MLlib's suite builds them. */
abstract class MllibFrames {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkMlData.localSpark("MllibFrames");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static final StructType SCHEMA = new StructType().add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());

    /** XOR as MLlib's suite has it: label, then the two inputs. */
    static final double[][] XOR = {{0, 0, 0}, {1, 0, 1}, {1, 1, 0}, {0, 1, 1}};

    /** Five rows of two features: fewer than any default batch. */
    static final double[][] FIVE = {{0, 0, 0}, {1, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0.5, 0.2}};

    /** label, then the feature values, one row each. */
    static Dataset<Row> frame(double[][] rows, int partitions) {
        List<Row> r = new ArrayList<>();
        for (double[] v : rows) {
            r.add(RowFactory.create(v[0], Vectors.dense(Arrays.copyOfRange(v, 1, v.length))));
        }
        return spark.createDataFrame(r, SCHEMA).repartition(partitions);
    }

    /** Three overlapping Gaussian blobs in 4 dimensions (no class separable, so a finite optimum exists). */
    static io.sparkprop.trainer.data.Dataset blobs(int rows, long seed) {
        Random rnd = new Random(seed);
        double[][] centre = {{0, 0, 0, 0}, {1.2, 0.4, -0.3, 0.8}, {-0.5, 1.1, 0.9, -0.6}};
        double[] x = new double[rows * 4];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % 3;
            y[r] = c;
            for (int j = 0; j < 4; j++) x[r * 4 + j] = centre[c][j] + rnd.nextGaussian() + 0.5 * j;
        }
        return new io.sparkprop.trainer.data.Dataset(rows, 4, 1, x, y, null);
    }

    /** The rows of d as label + features, in row order, in one partition. */
    static Dataset<Row> frame(io.sparkprop.trainer.data.Dataset d) {
        List<Row> list = new ArrayList<>();
        for (int r = 0; r < d.rows; r++) {
            list.add(RowFactory.create(d.y[r], Vectors.dense(Arrays.copyOfRange(d.x, r * d.features,
                    (r + 1) * d.features))));
        }
        return spark.createDataFrame(list, SCHEMA).coalesce(1);
    }

    /** Mean −log p(label) of a scored frame's probability column. */
    static double logLoss(Dataset<Row> scored) {
        double sum = 0;
        List<Row> rows = scored.select("label", "probability").collectAsList();
        for (Row r : rows) {
            sum -= Math.log(((Vector) r.get(1)).apply((int) r.getDouble(0)));
        }
        return sum / rows.size();
    }

    /** One column of a frame's rows, as doubles in row order. */
    static double[] column(Dataset<Row> frame, String name) {
        return frame.select(name).collectAsList().stream().mapToDouble(r -> ((Number) r.get(0)).doubleValue())
                .toArray();
    }

    static double summaryValue(SparkpropClassificationModel m, String key) {
        return ((Number) m.summary().values().get(key)).doubleValue();
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
