// weightCol and classWeights on the Spark ML estimators (local[2]): the CLI's bits with data.weight-column, Spark's
// weighted evaluators' numbers in the summaries, one-line errors naming the param.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.Config;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
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

class WeightedEstimatorTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkMlData.localSpark("WeightedEstimatorTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Row r's weight: 0.5, 1, 2, 3 in turn. */
    static double weight(int r) {
        return new double[] {0.5, 1, 2, 3}[r % 4];
    }

    /**
     * The rows of {@code d} with a weight column "w" after the features and the label (class index, or value) last,
     * as a CSV file and as a one-partition DataFrame in the same order.
     */
    static Dataset<Row> write(io.sparkprop.trainer.data.Dataset d, Path csv, String label) throws Exception {
        List<String> lines = new ArrayList<>();
        StructType schema = new StructType();
        StringBuilder h = new StringBuilder();
        for (int j = 0; j < d.features; j++) {
            h.append("f").append(j + 1).append(',');
            schema = schema.add("f" + (j + 1), DataTypes.DoubleType);
        }
        lines.add(h.append("w,").append(label).toString());
        schema = schema.add("w", DataTypes.DoubleType).add(label, DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < d.rows; r++) {
            StringBuilder sb = new StringBuilder();
            Object[] v = new Object[d.features + 2];
            for (int j = 0; j < d.features; j++) {
                v[j] = d.x[r * d.features + j];
                sb.append(Double.toString(d.x[r * d.features + j])).append(',');
            }
            v[d.features] = weight(r);
            v[d.features + 1] = d.y[r];
            sb.append(weight(r)).append(',').append(d.isClassification() ? String.valueOf((int) d.y[r])
                    : Double.toString(d.y[r]));
            lines.add(sb.toString());
            rows.add(RowFactory.create(v));
        }
        Files.write(csv, lines);
        Path parquet = tmp.resolve(csv.getFileName() + ".parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet.toString());
        return spark.read().parquet(parquet.toString());
    }

    static Pipeline assembled(int features, PipelineStage last) {
        return new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(SparkMlData.featureNames(features)).setOutputCol("features"), last});
    }

    @Test
    void classifierWeightColGivesTheCliBitsAndSparksWeightedMetrics() throws Exception {
        Path csv = tmp.resolve("seeds-w.csv");
        Dataset<Row> rows = write(SparkMlData.seeds(), csv, "label");
        Config cli = SparkMlTest.cliTrain(tmp.resolve("cli-w"), "--set", "data.train=" + csv, "--set",
                "data.label-column=label", "--set", "data.weight-column=w");
        Config cliPlain = SparkMlTest.cliTrain(tmp.resolve("cli-plain"), "--set", "data.train=" + csv, "--set",
                "data.label-column=label", "--set", "data.feature-columns=[]");
        // Parquet through the CLI: every column but the label and the weight column is a feature.
        Config cliParquet = SparkMlTest.cliTrain(tmp.resolve("cli-parquet-w"), "--set", "data.train="
                + tmp.resolve(csv.getFileName() + ".parquet"), "--set", "data.format=parquet", "--set",
                "data.label-column=label", "--set", "data.weight-column=w");
        assertEquals(cli.getString("weights_sha256"), cliParquet.getString("weights_sha256"));
        PipelineModel fitted = assembled(7, SparkMlTest.classifier().setWeightCol("w")).fit(rows);
        SparkpropClassificationModel m = (SparkpropClassificationModel) fitted.stages()[1];
        // The same rows, weights and partitions: the CLI's weights bit for bit (CSV chunks and DataFrame chunks).
        assertEquals(cli.getString("weights_sha256"), m.summary().weightsSha256());
        assertNotEquals(cli.getString("weights_sha256"), cliPlain.getString("weights_sha256"));
        Dataset<Row> scored = fitted.transform(rows);
        MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator().setWeightCol("w");
        double accuracy = ev.setMetricName("accuracy").evaluate(scored);
        double weightedRecall = ev.setMetricName("weightedRecall").evaluate(scored);
        double f1 = ev.setMetricName("f1").evaluate(scored);
        double unweighted = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertNotEquals(unweighted, accuracy, "the weights must matter to the metric");
        ClassificationTrainingSummary s = m.summary();
        assertEquals(accuracy, s.accuracy(), 1e-12);
        assertEquals(weightedRecall, s.weightedRecall(), 1e-12);
        assertEquals(f1, s.weightedFMeasure(), 1e-12);
        ClassificationSummary e = m.evaluate(fitted.stages()[0] instanceof VectorAssembler a ? a.transform(rows)
                : rows);
        assertEquals(accuracy, e.accuracy(), 1e-12);
    }

    @Test
    void regressorWeightColGivesSparksWeightedR2() throws Exception {
        Path csv = tmp.resolve("reg-w.csv");
        Dataset<Row> rows = write(SparkMlData.regression(200, 5), csv, "y");
        SparkpropRegressor r = new SparkpropRegressor().setPartitions(2).setEpochs(6).setHiddenLayers(8)
                .setBatchSize(16).setSeed(7).setLabelCol("y").setWeightCol("w");
        PipelineModel fitted = assembled(3, r).fit(rows);
        SparkpropRegressionModel m = (SparkpropRegressionModel) fitted.stages()[1];
        Dataset<Row> scored = fitted.transform(rows);
        RegressionEvaluator ev = new RegressionEvaluator().setLabelCol("y").setWeightCol("w");
        assertEquals(ev.setMetricName("r2").evaluate(scored), m.summary().r2(), 1e-12);
        assertEquals(ev.setMetricName("rmse").evaluate(scored), m.summary().rootMeanSquaredError(), 1e-12);
        assertNotEquals(new RegressionEvaluator().setLabelCol("y").setMetricName("r2").evaluate(scored),
                m.summary().r2());
    }

    @Test
    void classWeightsAndBadWeightsFailNamingTheParam() throws Exception {
        Path csv = tmp.resolve("seeds-bad.csv");
        Dataset<Row> rows = write(SparkMlData.seeds(), csv, "label");
        Dataset<Row> features = new VectorAssembler().setInputCols(SparkMlData.featureNames(7))
                .setOutputCol("features").transform(rows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkMlTest.classifier().setWeightCol("nope").fit(features));
        assertTrue(e.getMessage().contains("weightCol: no column 'nope'"), e.getMessage());
        Dataset<Row> negative = features.withColumn("w", org.apache.spark.sql.functions.lit(-1.0));
        // Found on an executor: Spark's failure carries the task's one line (SparkMlBadInputTest's convention).
        Exception remote = assertThrows(Exception.class, () -> SparkMlTest.classifier().setWeightCol("w")
                .fit(negative));
        assertTrue(remote.getMessage().contains("weightCol: column 'w' holds -1.0 (a weight is a finite number >= 0)"
                + " in row 1 of partition 0"), remote.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setClassWeights("heavy"));
        assertTrue(e.getMessage().contains("classWeights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkMlTest.classifier().setClassWeights(1.0, 2.0).fit(features));
        assertTrue(e.getMessage().contains("train.class-weights: 2 weights for 3 classes"), e.getMessage());
        SparkpropClassificationModel balanced = SparkMlTest.classifier().setClassWeights("balanced")
                .setWeightCol("w").fit(features);
        SparkpropClassificationModel plain = SparkMlTest.classifier().setWeightCol("w").fit(features);
        assertNotEquals(plain.summary().weightsSha256(), balanced.summary().weightsSha256());
    }
}
