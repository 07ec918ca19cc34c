// Behaviours of MLlib's MultilayerPerceptronClassifierSuite on ours: XOR, the docs example, five rows, evaluate.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

class MllibSuiteTest extends MllibFrames {
    @Test
    void xorAsMllibsSuiteLearnsIt() {
        Dataset<Row> rows = frame(XOR, 1);
        // MLlib's suite: layers [2, 5, 2], blockSize 1, seed 123, maxIter 100, l-bfgs.
        SparkpropClassificationModel m = new SparkpropClassifier().setLayers(new int[] {2, 5, 2}).setBlockSize(1)
                .setSeed(123L).setMaxIter(100).setSolver("l-bfgs").fit(rows);
        for (Row r : m.transform(rows).select("prediction", "label").collectAsList()) {
            assertEquals(r.getDouble(1), r.getDouble(0), "prediction of " + r);
        }
    }

    @Test
    void mllibsDocsExampleReachesAtLeastMllibsAccuracy() {
        // MLlib's documentation example: a 60/40 split, layers [features, 5, 4, classes], blockSize 128,
        // seed 1234, maxIter 100 (solver l-bfgs, its default), here on the wheat-seeds rows the project ships.
        Dataset<Row> all = frame(SparkMlData.seeds());
        Dataset<Row>[] split = all.randomSplit(new double[] {0.6, 0.4}, 1234L);
        int[] layers = {7, 5, 4, 3};
        MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        double theirs = ev.evaluate(new MultilayerPerceptronClassifier().setLayers(layers).setBlockSize(128)
                .setSeed(1234L).setMaxIter(100).setSolver("l-bfgs").fit(split[0]).transform(split[1]));
        SparkpropClassificationModel ours = new SparkpropClassifier().setLayers(layers).setBlockSize(128)
                .setSeed(1234L).setMaxIter(100).setSolver("l-bfgs").fit(split[0]);
        double mine = ev.evaluate(ours.transform(split[1]));
        assertEquals(mine, ours.evaluate(split[1]).accuracy(), 1e-12);
        assertTrue(mine >= theirs, "sparkprop " + mine + ", MLlib " + theirs);
    }

    @Test
    void fiveRowsFitWithTheDefaults() {
        SparkpropClassificationModel m = new SparkpropClassifier().setEpochs(1).fit(frame(FIVE, 1));
        // Every row trains (no validation split by default) in one batch of 5, the default 32 clamped.
        assertEquals(1L, ((Number) m.summary().values().get("steps")).longValue());
        assertTrue(!m.summary().values().containsKey("val_loss"), m.summary().toString());
        assertEquals(5, m.transform(frame(FIVE, 1)).count());
        // MLlib's names alone on the same rows: MLlib's defaults (l-bfgs, 100 iterations at most) fit them too.
        SparkpropClassificationModel mllib = new SparkpropClassifier().setLayers(new int[] {2, 3, 2})
                .fit(frame(FIVE, 1));
        assertTrue(summaryValue(mllib, "epochs") <= 100 && mllib.summary().totalIterations() >= 1,
                mllib.summary().toString());
        assertEquals(5, mllib.transform(frame(FIVE, 1)).count());
    }

    @Test
    void summaryAndEvaluateHaveMllibsMetricsBySparksOwnEvaluators() {
        Dataset<Row> rows = frame(blobs(150, 2));
        SparkpropClassificationModel m = new SparkpropClassifier().setHiddenLayers(6).setEpochs(4).setSeed(3)
                .fit(rows);
        ClassificationTrainingSummary s = m.summary();
        Dataset<Row> scored = m.transform(rows);
        MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator();
        assertEquals(ev.setMetricName("accuracy").evaluate(scored), s.accuracy(), 1e-12);
        assertEquals(ev.setMetricName("f1").evaluate(scored), s.weightedFMeasure(), 1e-12);
        assertEquals(ev.setMetricName("weightedPrecision").evaluate(scored), s.weightedPrecision(), 1e-12);
        assertEquals(ev.setMetricName("weightedRecall").evaluate(scored), s.weightedRecall(), 1e-12);
        assertArrayEquals(new double[] {0, 1, 2}, s.labels());
        assertEquals(3, s.precisionByLabel().length);
        assertEquals(ev.setMetricName("truePositiveRateByLabel").setMetricLabel(1).evaluate(scored),
                s.truePositiveRateByLabel()[1], 1e-12);
        assertEquals(ev.setMetricName("falsePositiveRateByLabel").setMetricLabel(2).evaluate(scored),
                s.falsePositiveRateByLabel()[2], 1e-12);
        assertEquals(4, s.totalIterations());
        assertEquals(4, s.objectiveHistory().length);
        assertEquals(rows.count(), s.predictions().count());
        // evaluate on other rows gives the same metrics as the evaluator on those rows.
        Dataset<Row> other = frame(blobs(60, 9));
        ClassificationSummary e = m.evaluate(other);
        assertEquals(ev.setMetricName("accuracy").evaluate(m.transform(other)), e.accuracy(), 1e-12);

        Dataset<Row> reg = frame(SparkMlData.regression(120, 4));
        SparkpropRegressionModel r = new SparkpropRegressor().setHiddenLayers(8).setEpochs(3).fit(reg);
        RegressionEvaluator rev = new RegressionEvaluator();
        Dataset<Row> rs = r.transform(reg);
        assertEquals(rev.setMetricName("rmse").evaluate(rs), r.summary().rootMeanSquaredError(), 1e-12);
        assertEquals(rev.setMetricName("r2").evaluate(rs), r.evaluate(reg).r2(), 1e-12);
    }

    @Test
    void validationIndicatorColChoosesTheValidationRows() {
        Dataset<Row> rows = frame(blobs(150, 6)).withColumn("isVal",
                functions.monotonically_increasing_id().mod(5).equalTo(0));
        SparkpropClassificationModel m = new SparkpropClassifier().setHiddenLayers(6).setEpochs(3)
                .setEarlyStoppingPatience(5).setValidationIndicatorCol("isVal").fit(rows);
        Dataset<Row> marked = m.transform(rows.where("isVal"));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(marked);
        assertEquals(30, marked.count());
        assertEquals(accuracy, summaryValue(m, "val_accuracy"), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setValidationFraction(0.2).setValidationIndicatorCol("isVal")
                        .setEpochs(1).fit(rows));
        assertTrue(e.getMessage().contains("validationIndicatorCol") && e.getMessage().contains("validationFraction"),
                e.getMessage());
    }
}
