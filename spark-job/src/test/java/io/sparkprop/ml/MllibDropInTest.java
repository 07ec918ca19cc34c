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
        spark = SparkMlData.localSpark("MllibDropInTest");
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

    /** Three overlapping Gaussian blobs in 4 dimensions (no class separable, so a finite optimum exists). */
    static io.sparkprop.trainer.data.Dataset blobs(int rows, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
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
        double[][] rows = new double[d.rows][];
        for (int r = 0; r < d.rows; r++) {
            rows[r] = new double[d.features + 1];
            rows[r][0] = d.y[r];
            System.arraycopy(d.x, r * d.features, rows[r], 1, d.features);
        }
        List<Row> list = new ArrayList<>();
        for (double[] v : rows) {
            list.add(RowFactory.create(v[0], Vectors.dense(java.util.Arrays.copyOfRange(v, 1, v.length))));
        }
        return spark.createDataFrame(list, SCHEMA).coalesce(1);
    }

    /** Mean −log p(label) of a scored frame's probability column. */
    static double logLoss(Dataset<Row> scored) {
        double sum = 0;
        List<Row> rows = scored.select("label", "probability").collectAsList();
        for (Row r : rows) {
            sum -= Math.log(((org.apache.spark.ml.linalg.Vector) r.get(1)).apply((int) r.getDouble(0)));
        }
        return sum / rows.size();
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
        org.apache.spark.ml.classification.LogisticRegressionModel lr =
                new org.apache.spark.ml.classification.LogisticRegression().setFamily("multinomial").setRegParam(0)
                        .setStandardization(false).setFitIntercept(true).setMaxIter(1000).setTol(1e-13).fit(rows);
        double theirs = logLoss(lr.transform(rows));
        double mine = ((Number) a.summary().values().get("train_loss")).doubleValue();
        assertEquals(theirs, mine, 1e-6, "MLlib " + theirs + ", lbfgs " + mine);
        assertEquals(mine, logLoss(a.transform(rows)), 1e-9);
        int iterations = ((Number) a.summary().values().get("epochs")).intValue();
        assertTrue(iterations < 500, "converged after " + iterations + " iterations");

        // The same partitions give the same bits, and the CLI's Spark engine on the same rows agrees.
        SparkpropClassificationModel b = ours.fit(rows);
        assertEquals(a.summary().weightsSha256(), b.summary().weightsSha256());
        String[] common = {"--set", "optimizer.name=lbfgs", "--set", "model.hidden=[]", "--set", "train.epochs=500",
            "--set", "optimizer.tolerance=1e-13", "--set", "data.validation-fraction=0", "--set", "spark.partitions=2"};
        io.sparkprop.cli.CliRunner.Result cli = io.sparkprop.cli.CliRunner.run(concat(new String[] {"train", "--out",
            tmp.resolve("cli-lbfgs").toString(), "--set", "train.engine=spark", "--set", "data.train=" + parquet,
            "--set", "data.format=parquet", "--set", "data.label-column=label"}, common));
        assertEquals(0, cli.exit(), cli.err());
        com.typesafe.config.Config s = com.typesafe.config.ConfigFactory.parseFile(
                tmp.resolve("cli-lbfgs/summary.json").toFile());
        assertEquals(a.summary().weightsSha256(), s.getString("weights_sha256"));
        // The in-process engine adds the rows in another order: the same optimum, up to rounding.
        Path csv = tmp.resolve("blobs.csv");
        SparkMlData.writeCsv(csv, d, "label", null);
        io.sparkprop.cli.CliRunner.Result local = io.sparkprop.cli.CliRunner.run(concat(new String[] {"train", "--out",
            tmp.resolve("local-lbfgs").toString(), "--set", "data.train=" + csv}, common));
        assertEquals(0, local.exit(), local.err());
        double localLoss = com.typesafe.config.ConfigFactory.parseFile(tmp.resolve("local-lbfgs/summary.json").toFile())
                .getDouble("train_loss");
        assertEquals(mine, localLoss, 1e-9);
    }

    @Test
    void mllibNamesAloneBehaveAsMllib() {
        Dataset<Row> rows = frame(blobs(150, 5));
        // Code written for MultilayerPerceptronClassifier, with only the class name changed.
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {4, 5, 3}).setMaxIter(30)
                .setSeed(1234L).setBlockSize(64);
        SparkpropClassificationModel m = c.fit(rows);
        assertEquals(List.of(4, 5, 3), java.util.Arrays.stream(m.getLayers()).boxed().toList());
        com.typesafe.config.Config used = com.typesafe.config.ConfigFactory.parseString(m.sparkpropModel().config());
        assertEquals("lbfgs", used.getString("optimizer.name"));
        assertEquals("sigmoid", used.getString("model.activation"));
        assertEquals(0.03, used.getDouble("optimizer.learning-rate"));
        assertEquals(1e-6, used.getDouble("optimizer.tolerance"));
        assertEquals(List.of(5), used.getIntList("model.hidden"));
        assertEquals(30, used.getInt("train.epochs"));
        assertEquals(m.sparkpropModel().net().paramCount(), m.weights().size());
        // MLlib's getters and defaults.
        assertEquals("l-bfgs", c.getSolver());
        assertEquals(0.03, c.getStepSize());
        assertEquals(100, new SparkpropClassifier().getMaxIter());
        assertEquals(128, new SparkpropClassifier().getBlockSize());
        assertEquals(1e-6, new SparkpropClassifier().getTol());

        // gd: sgd on the full batch (one step per epoch).
        SparkpropClassificationModel gd = new SparkpropClassifier().setLayers(new int[] {4, 3}).setSolver("gd")
                .setMaxIter(3).fit(rows);
        assertEquals(3L, ((Number) gd.summary().values().get("steps")).longValue());
    }

    @Test
    void twoSpellingsOfOneThingMustAgree() throws Exception {
        Dataset<Row> rows = frame(blobs(60, 5));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setEpochs(5).setMaxIter(7).fit(rows));
        assertTrue(e.getMessage().contains("epochs (5)") && e.getMessage().contains("maxIter (7)"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setHiddenLayers(8).setLayers(new int[] {4, 6, 3}).fit(rows));
        assertTrue(e.getMessage().contains("hiddenLayers") && e.getMessage().contains("layers"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setOptimizer("adam").setSolver("l-bfgs").fit(rows));
        assertTrue(e.getMessage().contains("optimizer") && e.getMessage().contains("solver"), e.getMessage());
        // Agreeing spellings are fine.
        SparkpropClassificationModel both = new SparkpropClassifier().setEpochs(2).setMaxIter(2).setLearningRate(0.1)
                .setStepSize(0.1).fit(rows);
        // One of our names is set, so the keys left unset keep our defaults, not MLlib's.
        com.typesafe.config.Config used = com.typesafe.config.ConfigFactory.parseString(both.sparkpropModel().config());
        assertEquals("adam", used.getString("optimizer.name"));
        assertEquals("relu", used.getString("model.activation"));
        // MLlib's params survive the estimator's save and load.
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {4, 2, 3}).setSolver("gd").setTol(1e-4)
                .setInitialWeights(Vectors.dense(new double[4 * 2 + 2 + 2 * 3 + 3]));
        c.write().overwrite().save(tmp.resolve("estimator").toString());
        SparkpropClassifier loaded = SparkpropClassifier.load(tmp.resolve("estimator").toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(c.getLayers(), loaded.getLayers());
        assertEquals("gd", loaded.getSolver());
        assertEquals(1e-4, loaded.getTol());
        assertEquals(c.getInitialWeights(), loaded.getInitialWeights());
        // layers names the data's sizes too.
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setLayers(new int[] {7, 5, 3}).setMaxIter(1).fit(rows));
        assertTrue(e.getMessage().contains("parameter layers") && e.getMessage().contains("4 features"),
                e.getMessage());
    }

    @Test
    void initialWeightsAreMllibsOrder() {
        Dataset<Row> rows = frame(blobs(90, 8));
        int[] layers = {4, 3, 3};
        int p = 4 * 3 + 3 + 3 * 3 + 3;
        java.util.Random rnd = new java.util.Random(3);
        double[] w0 = new double[p];
        for (int i = 0; i < p; i++) w0[i] = 0.5 + rnd.nextDouble(); // none zero: a 1e-300 step leaves each as is
        org.apache.spark.ml.linalg.Vector w = Vectors.dense(w0);
        // A step of 1e-300 changes no weight: both models hold w, so their outputs must agree.
        org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel theirs =
                new org.apache.spark.ml.classification.MultilayerPerceptronClassifier().setLayers(layers)
                        .setInitialWeights(w).setSolver("gd").setStepSize(1e-300).setMaxIter(1).fit(rows);
        SparkpropClassificationModel ours = new SparkpropClassifier().setLayers(layers).setInitialWeights(w)
                .setSolver("gd").setStepSize(1e-300).setMaxIter(1).fit(rows);
        assertEquals(theirs.weights(), ours.weights());
        org.junit.jupiter.api.Assertions.assertArrayEquals(w0, ours.weights().toArray());
        List<Row> a = theirs.transform(rows).select("probability").collectAsList();
        List<Row> b = ours.transform(rows).select("probability").collectAsList();
        for (int i = 0; i < a.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    ((org.apache.spark.ml.linalg.Vector) a.get(i).get(0)).toArray(),
                    ((org.apache.spark.ml.linalg.Vector) b.get(i).get(0)).toArray(), 1e-9, "row " + i);
        }
    }

    @Test
    void summaryAndEvaluateHaveMllibsMetricsBySparksOwnEvaluators() {
        Dataset<Row> rows = frame(blobs(150, 2));
        SparkpropClassificationModel m = new SparkpropClassifier().setHiddenLayers(6).setEpochs(4).setSeed(3)
                .fit(rows);
        ClassificationTrainingSummary s = m.summary();
        Dataset<Row> scored = m.transform(rows);
        org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator ev =
                new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator();
        assertEquals(ev.setMetricName("accuracy").evaluate(scored), s.accuracy(), 1e-12);
        assertEquals(ev.setMetricName("f1").evaluate(scored), s.weightedFMeasure(), 1e-12);
        assertEquals(ev.setMetricName("weightedPrecision").evaluate(scored), s.weightedPrecision(), 1e-12);
        assertEquals(ev.setMetricName("weightedRecall").evaluate(scored), s.weightedRecall(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 1, 2}, s.labels());
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
        org.apache.spark.ml.evaluation.RegressionEvaluator rev = new org.apache.spark.ml.evaluation.RegressionEvaluator();
        Dataset<Row> rs = r.transform(reg);
        assertEquals(rev.setMetricName("rmse").evaluate(rs), r.summary().rootMeanSquaredError(), 1e-12);
        assertEquals(rev.setMetricName("r2").evaluate(rs), r.evaluate(reg).r2(), 1e-12);
    }

    @Test
    void modelInitTakesAModelSavedThroughSparkMl() throws Exception {
        Dataset<Row> rows = frame(blobs(90, 4));
        SparkpropClassificationModel a = new SparkpropClassifier().setHiddenLayers(5).setEpochs(3).fit(rows);
        Path saved = tmp.resolve("saved-model");
        a.write().save(saved.toString());
        // One epoch of sgd at 1e-300 moves no weight: the fit starts from, and ends at, the saved weights.
        SparkpropClassificationModel b = new SparkpropClassifier().setHiddenLayers(5).setOptimizer("sgd")
                .setLearningRate(1e-300).setEpochs(1).setConfig("model.init = \"file:" + saved + "\"").fit(rows);
        assertEquals(a.summary().weightsSha256(), b.summary().weightsSha256());
    }

    @Test
    void validationIndicatorColChoosesTheValidationRows() {
        Dataset<Row> rows = frame(blobs(150, 6)).withColumn("isVal",
                org.apache.spark.sql.functions.monotonically_increasing_id().mod(5).equalTo(0));
        SparkpropClassificationModel m = new SparkpropClassifier().setHiddenLayers(6).setEpochs(3)
                .setEarlyStoppingPatience(5).setValidationIndicatorCol("isVal").fit(rows);
        Dataset<Row> marked = m.transform(rows.where("isVal"));
        double accuracy = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator()
                .setMetricName("accuracy").evaluate(marked);
        assertEquals(30, marked.count());
        assertEquals(accuracy, ((Number) m.summary().values().get("val_accuracy")).doubleValue(), 1e-12);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setValidationFraction(0.2).setValidationIndicatorCol("isVal")
                        .setEpochs(1).fit(rows));
        assertTrue(e.getMessage().contains("validationIndicatorCol") && e.getMessage().contains("validationFraction"),
                e.getMessage());
    }

    @Test
    void xorAsMllibsSuiteLearnsIt() {
        double[][] xor = {{0, 0, 0}, {1, 0, 1}, {1, 1, 0}, {0, 1, 1}};
        Dataset<Row> rows = frame(xor, 1);
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
        // seed 1234, maxIter 100, here on the wheat-seeds rows the project ships.
        Dataset<Row> all = frame(SparkMlData.seeds());
        Dataset<Row>[] split = all.randomSplit(new double[] {0.6, 0.4}, 1234L);
        int[] layers = {7, 5, 4, 3};
        org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator ev =
                new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator().setMetricName("accuracy");
        double theirs = ev.evaluate(new org.apache.spark.ml.classification.MultilayerPerceptronClassifier()
                .setLayers(layers).setBlockSize(128).setSeed(1234L).setMaxIter(100).fit(split[0])
                .transform(split[1]));
        SparkpropClassificationModel ours = new SparkpropClassifier().setLayers(layers).setBlockSize(128)
                .setSeed(1234L).setMaxIter(100).fit(split[0]);
        double mine = ev.evaluate(ours.transform(split[1]));
        assertEquals(mine, ours.evaluate(split[1]).accuracy(), 1e-12);
        assertTrue(mine >= theirs, "sparkprop " + mine + ", MLlib " + theirs);
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
