// Code written for MLlib's MultilayerPerceptronClassifier, run against ours: defaults, params, solver, summaries.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class MllibDropInTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        spark = SparkSession.builder().master("local[2]").appName("MllibDropInTest")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static final StructType SCHEMA = new StructType().add("label", DataTypes.DoubleType)
            .add("features", SQLDataTypes.VectorType());

    /** label, then the feature values, one row each. */
    static Dataset<Row> frame(double[][] rows, int partitions) {
        List<Row> r = new ArrayList<>();
        for (double[] v : rows) {
            r.add(RowFactory.create(v[0], Vectors.dense(java.util.Arrays.copyOfRange(v, 1, v.length))));
        }
        return spark.createDataFrame(r, SCHEMA).repartition(partitions);
    }

    static final double[][] FIVE = {{0, 0, 0}, {1, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0.5, 0.2}};

    @Test
    void fiveRowsFitWithTheDefaults() {
        SparkpropClassificationModel m = new SparkpropClassifier().setEpochs(1).fit(frame(FIVE, 1));
        // Every row trains (no validation split by default) in one batch of 5, the default 32 clamped.
        assertEquals(1L, ((Number) m.summary().values().get("steps")).longValue());
        assertTrue(!m.summary().values().containsKey("val_loss"), m.summary().toString());
        assertEquals(5, m.transform(frame(FIVE, 1)).count());
    }
}
