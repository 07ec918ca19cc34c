// Ours against MLlib's LogisticRegression: the L-BFGS optimum with no hidden layer, and MLlib's 3-class comparison.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.cli.CliRunner;

class MllibLogisticRegressionTest extends MllibFrames {
    @Test
    void lbfgsReachesLogisticRegressionsOptimumWithTheSameBitsEachTime() throws Exception {
        io.sparkprop.trainer.data.Dataset d = blobs(300, 11);
        Path parquet = tmp.resolve("blobs.parquet");
        frame(d).write().parquet(parquet.toString());
        Dataset<Row> rows = spark.read().parquet(parquet.toString());

        // No hidden layer, no regularisation: multinomial logistic regression, whose optimum MLlib finds too.
        SparkpropClassifier ours = new SparkpropClassifier().setHiddenLayers().setOptimizer("lbfgs").setEpochs(500)
                .setPartitions(2).setConfig("optimizer.tolerance = 1e-13");
        SparkpropClassificationModel a = ours.fit(rows);
        LogisticRegressionModel lr = new LogisticRegression().setFamily("multinomial").setRegParam(0)
                .setStandardization(false).setFitIntercept(true).setMaxIter(1000).setTol(1e-13).fit(rows);
        double theirs = logLoss(lr.transform(rows));
        double mine = summaryValue(a, "train_loss");
        assertEquals(theirs, mine, 1e-6, "MLlib " + theirs + ", lbfgs " + mine);
        assertEquals(mine, logLoss(a.transform(rows)), 1e-9);
        int iterations = (int) summaryValue(a, "epochs");
        assertTrue(iterations < 500, "converged after " + iterations + " iterations");

        // The same partitions give the same bits, and the CLI's Spark engine on the same rows agrees.
        SparkpropClassificationModel b = ours.fit(rows);
        assertEquals(a.summary().weightsSha256(), b.summary().weightsSha256());
        String[] common = {"--set", "optimizer.name=lbfgs", "--set", "model.hidden=[]", "--set", "train.epochs=500",
            "--set", "optimizer.tolerance=1e-13", "--set", "data.validation-fraction=0", "--set", "spark.partitions=2"};
        CliRunner.Result cli = CliRunner.run(concat(new String[] {"train", "--out",
            tmp.resolve("cli-lbfgs").toString(), "--set", "train.engine=spark", "--set", "data.train=" + parquet,
            "--set", "data.format=parquet", "--set", "data.label-column=label"}, common));
        assertEquals(0, cli.exit(), cli.err());
        Config s = ConfigFactory.parseFile(tmp.resolve("cli-lbfgs/summary.json").toFile());
        assertEquals(a.summary().weightsSha256(), s.getString("weights_sha256"));
        // The in-process engine adds the rows in another order: the same optimum, up to rounding.
        Path csv = tmp.resolve("blobs.csv");
        SparkMlData.writeCsv(csv, d, "label", null);
        CliRunner.Result local = CliRunner.run(concat(new String[] {"train", "--out",
            tmp.resolve("local-lbfgs").toString(), "--set", "data.train=" + csv}, common));
        assertEquals(0, local.exit(), local.err());
        double localLoss = ConfigFactory.parseFile(tmp.resolve("local-lbfgs/summary.json").toFile())
                .getDouble("train_loss");
        assertEquals(mine, localLoss, 1e-9);
    }

    /**
     * MLlib's suite's "3 class classification with 2 hidden layers": 1000 rows of multinomial logistic data
     * (4 features, 3 classes), layers [4, 5, 4, 3], blockSize 1, seed 11, 100 iterations; LogisticRegression on
     * the same rows beside it. MLlib asserts the confusion matrices agree within 100 per entry; with no hidden
     * layer both fit the same model, so their predictions must agree row by row too.
     */
    @Test
    void threeClassesPredictAsLogisticRegressionDoes() {
        Dataset<Row> rows = frame(multinomial(1000, 42)).repartition(2).cache();
        Dataset<Row> lrScored = new LogisticRegression().setFamily("multinomial").setRegParam(0).setMaxIter(100)
                .fit(rows).transform(rows);
        double[][] lrMatrix = confusion(lrScored);

        SparkpropClassificationModel deep = new SparkpropClassifier().setLayers(new int[] {4, 5, 4, 3})
                .setBlockSize(1).setSeed(11L).setMaxIter(100).fit(rows);
        assertEquals(4, deep.numFeatures());
        double[][] deepMatrix = confusion(deep.transform(rows));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(lrMatrix[i][j], deepMatrix[i][j], 100, "confusion[" + i + "][" + j + "]");
            }
        }

        SparkpropClassificationModel linear = new SparkpropClassifier().setLayers(new int[] {4, 3})
                .setSolver("l-bfgs").setMaxIter(100).fit(rows);
        // Both predictions on the same rows of one frame.
        Dataset<Row> both = linear.setPredictionCol("ours").setProbabilityCol("oursProbability")
                .setRawPredictionCol("oursRaw").transform(lrScored);
        double[] lrPredicted = column(both, "prediction");
        double[] ours = column(both, "ours");
        int same = 0;
        for (int r = 0; r < ours.length; r++) {
            if (ours[r] == lrPredicted[r]) same++;
        }
        double agreement = same / (double) ours.length;
        assertTrue(agreement >= 0.98, "agreement with LogisticRegression " + agreement);
        MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        double lrAccuracy = ev.evaluate(lrScored);
        assertEquals(lrAccuracy, ev.setPredictionCol("ours").evaluate(both), 0.01);
        // Not a vacuous agreement of two constant predictors: LogisticRegression predicts every class, better than
        // chance (these classes overlap much: MLlib's coefficients make a noisy problem).
        assertEquals(3, java.util.Arrays.stream(lrPredicted).distinct().count());
        assertTrue(lrAccuracy > 0.4, "LogisticRegression's accuracy " + lrAccuracy);
    }

    /**
     * Multinomial logistic rows as MLlib's suite generates them: x_j ~ N(mean_j, variance_j), class 0 has margin 0
     * and class k ≥ 1 margin w_k·x + b_k (MLlib's coefficients, 4 weights then the intercept per class), the label
     * drawn from the softmax of the margins.
     */
    static io.sparkprop.trainer.data.Dataset multinomial(int rows, long seed) {
        double[] coefficients = {-0.57997, 0.912083, -0.371077, -0.819866, 2.688191,
            -0.16624, -0.84355, -0.048509, -0.301789, 4.170682};
        double[] mean = {5.843, 3.057, 3.758, 1.199};
        double[] variance = {0.6856, 0.1899, 3.116, 0.581};
        Random rnd = new Random(seed);
        double[] x = new double[rows * 4];
        double[] y = new double[rows];
        double[] p = new double[3];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 4; j++) x[r * 4 + j] = mean[j] + Math.sqrt(variance[j]) * rnd.nextGaussian();
            p[0] = 1;
            double sum = 1;
            for (int k = 1; k < 3; k++) {
                double margin = coefficients[(k - 1) * 5 + 4];
                for (int j = 0; j < 4; j++) margin += coefficients[(k - 1) * 5 + j] * x[r * 4 + j];
                p[k] = Math.exp(margin);
                sum += p[k];
            }
            double u = rnd.nextDouble() * sum;
            int label = 0;
            while (label < 2 && u >= p[label]) {
                u -= p[label];
                label++;
            }
            y[r] = label;
        }
        return new io.sparkprop.trainer.data.Dataset(rows, 4, 1, x, y, null);
    }

    /** counts[label][prediction] of a scored frame. */
    static double[][] confusion(Dataset<Row> scored) {
        double[][] m = new double[3][3];
        List<Row> rows = scored.select("label", "prediction").collectAsList();
        for (Row r : rows) m[(int) r.getDouble(0)][(int) r.getDouble(1)]++;
        return m;
    }
}
