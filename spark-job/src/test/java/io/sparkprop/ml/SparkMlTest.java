// The Spark ML face in local[2]: Pipeline, persistence, CrossValidator, sparse input, regression, bad params, and
// bit-equality with the CLI on the same rows.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.cli.CliRunner;

class SparkMlTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path seedsCsv;
    static Path seedsParquet;
    static Path sparseLibsvm;

    /** The CLI's settings and the same ones as params. */
    static final String[] CLI_SETS = {"--set", "train.engine=spark", "--set", "spark.partitions=2", "--set",
        "train.epochs=6", "--set", "model.hidden=[8]", "--set", "train.batch-size=16", "--set", "train.seed=7"};

    static SparkpropClassifier classifier() {
        return new SparkpropClassifier().setPartitions(2).setEpochs(6).setHiddenLayers(8).setBatchSize(16)
                .setSeed(7).setValidationFraction(0.2);
    }

    @BeforeAll
    static void start() throws Exception {
        spark = SparkMlData.localSpark("SparkMlTest");
        seedsCsv = tmp.resolve("seeds.csv");
        SparkMlData.writeCsv(seedsCsv, SparkMlData.seeds(), "variety", SparkMlData.VARIETIES);
        seedsParquet = tmp.resolve("seeds.parquet");
        SparkMlData.writeParquet(spark, seedsParquet, SparkMlData.seeds(), "variety", SparkMlData.VARIETIES);
        sparseLibsvm = tmp.resolve("seeds-sparse.libsvm");
        io.sparkprop.trainer.data.Dataset d = SparkMlData.seeds();
        // A third of the values zeroed, so the rows are genuinely sparse.
        for (int i = 0; i < d.x.length; i += 3) d.x[i] = 0;
        SparkMlData.writeSparseLibsvm(sparseLibsvm, d);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Config cliTrain(Path out, String... extra) {
        String[] args = new String[3 + CLI_SETS.length + extra.length];
        args[0] = "train";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(CLI_SETS, 0, args, 3, CLI_SETS.length);
        System.arraycopy(extra, 0, args, 3 + CLI_SETS.length, extra.length);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exit(), r.err());
        return ConfigFactory.parseFile(out.resolve("summary.json").toFile());
    }

    static Pipeline seedsPipeline(PipelineStage last) {
        StringIndexer indexer = new StringIndexer().setInputCol("variety").setOutputCol("label")
                .setStringOrderType("alphabetAsc");
        VectorAssembler assembler = new VectorAssembler().setInputCols(SparkMlData.featureNames(7))
                .setOutputCol("features");
        return new Pipeline().setStages(new PipelineStage[] {indexer, assembler, last});
    }

    @Test
    void pipelineMatchesTheCliAndSurvivesSaveAndLoad() throws Exception {
        Config cli = cliTrain(tmp.resolve("cli-csv"), "--set", "data.train=" + seedsCsv);
        Config cliParquet = cliTrain(tmp.resolve("cli-parquet"), "--set", "data.train=" + seedsParquet, "--set",
                "data.format=parquet", "--set", "data.label-column=variety");

        Dataset<Row> rows = spark.read().parquet(seedsParquet.toString());
        PipelineModel fitted = seedsPipeline(classifier()).fit(rows);
        SparkpropClassificationModel model = (SparkpropClassificationModel) fitted.stages()[2];
        TrainingSummary s = model.summary();
        // Same rows, same order, same partition count: the CLI's weights bit for bit, from CSV and from Parquet.
        assertEquals(cli.getString("weights_sha256"), s.weightsSha256());
        assertEquals(cli.getString("weights_sha256"), cliParquet.getString("weights_sha256"));
        // A model trained on Parquet evaluates a CSV of the same rows.
        CliRunner.Result csvEval = CliRunner.run("evaluate", "--model", tmp.resolve("cli-parquet/model").toString(),
                "--data", seedsCsv.toString());
        assertEquals(0, csvEval.exit(), csvEval.err());
        assertTrue((double) s.values().get("val_accuracy") >= cli.getDouble("val_accuracy"));
        assertEquals(6, s.trainLosses().length);
        assertTrue(!s.timeSplit().isEmpty() && s.trainSeconds() > 0, s.toString());
        assertEquals(cli.getDouble("val_accuracy"), s.validationMetric(), 1e-12);
        assertEquals(2, ((Number) s.values().get("partitions")).intValue());

        Dataset<Row> scored = fitted.transform(rows);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertTrue(accuracy > 0.8, "accuracy " + accuracy);

        Path saved = tmp.resolve("pipeline");
        fitted.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        List<Row> before = scored.select("prediction", "probability", "rawPrediction").collectAsList();
        List<Row> after = loaded.transform(rows).select("prediction", "probability", "rawPrediction").collectAsList();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).getDouble(0), after.get(i).getDouble(0));
            assertArrayEquals(((Vector) before.get(i).get(1)).toArray(), ((Vector) after.get(i).get(1)).toArray());
            assertArrayEquals(((Vector) before.get(i).get(2)).toArray(), ((Vector) after.get(i).get(2)).toArray());
        }

        // Exported to ONNX, ONNX Runtime reproduces the model's probabilities on the same feature vectors.
        Path onnx = tmp.resolve("seeds.onnx");
        model.exportOnnx(onnx.toString(), "float64");
        List<Row> feats = scored.select(model.getFeaturesCol(), "probability").collectAsList();
        double[][] x = new double[feats.size()][];
        for (int i = 0; i < x.length; i++) x[i] = ((Vector) feats.get(i).get(0)).toArray();
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession session = env.createSession(onnx.toString());
             ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, x);
             ai.onnxruntime.OrtSession.Result r = session.run(java.util.Map.of("features", in))) {
            double[][] p = (double[][]) r.get("probabilities").orElseThrow().getValue();
            for (int i = 0; i < x.length; i++) {
                assertArrayEquals(((Vector) feats.get(i).get(1)).toArray(), p[i], 1e-12, "row " + i);
            }
        }

        // The CLI evaluates the model saved from Spark ML on a CSV of the same rows with the indexed labels.
        Path alone = tmp.resolve("model-alone");
        model.write().save(alone.toString());
        Path indexedCsv = tmp.resolve("seeds-indexed.csv");
        SparkMlData.writeCsv(indexedCsv, SparkMlData.seeds(), "label",
                new String[] {"1", "2", "0"}); // kama, rosa, canadian in alphabetical order
        CliRunner.Result eval = CliRunner.run("evaluate", "--model", alone.toString(), "--data", indexedCsv.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertEquals(accuracy, ConfigFactory.parseString(eval.out()).getDouble("accuracy"), 1e-12);
    }

    @Test
    void crossValidatorPicksAModelFromATwoByTwoGrid() {
        SparkpropClassifier c = classifier().setEpochs(2).setValidationFraction(0);
        ParamMap[] grid = new ParamGridBuilder().addGrid(c.learningRate(), new double[] {0.003, 0.03})
                .addGrid(c.batchSize(), new int[] {16, 32}).build();
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {
            new StringIndexer().setInputCol("variety").setOutputCol("label"),
            new VectorAssembler().setInputCols(SparkMlData.featureNames(7)).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features"), c});
        CrossValidatorModel cv = new CrossValidator().setEstimator(p).setEstimatorParamMaps(grid).setNumFolds(2)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setSeed(3)
                .fit(spark.read().parquet(seedsParquet.toString()));
        assertEquals(4, cv.avgMetrics().length);
        PipelineModel best = (PipelineModel) cv.bestModel();
        assertInstanceOf(SparkpropClassificationModel.class, best.stages()[3]);
        double top = java.util.Arrays.stream(cv.avgMetrics()).max().orElseThrow();
        assertTrue(top > 0.5, "best mean accuracy " + top);
    }

    @Test
    void sparseLibsvmInputTrains() throws Exception {
        Dataset<Row> rows = spark.read().format("libsvm").option("numFeatures", "7").load(sparseLibsvm.toString());
        assertInstanceOf(SparseVector.class, rows.first().getAs("features"));
        SparkpropClassificationModel m = classifier().setEpochs(8).fit(rows);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(m.transform(rows));
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
        assertEquals(7, m.numFeatures());
        assertEquals(3, m.numClasses());
    }

    @Test
    void binaryEvaluatorReadsRawPrediction() {
        Dataset<Row> rows = spark.read().format("libsvm").option("numFeatures", "7").load(sparseLibsvm.toString())
                .where("label < 2");
        SparkpropClassificationModel m = classifier().setEpochs(4).fit(rows);
        assertEquals(2, m.numClasses());
        double auc = new BinaryClassificationEvaluator().evaluate(m.transform(rows));
        assertTrue(auc > 0.8, "areaUnderROC " + auc);
    }

    @Test
    void regressorReachesTheCliR2() throws Exception {
        io.sparkprop.trainer.data.Dataset d = SparkMlData.regression(200, 5);
        Path csv = tmp.resolve("reg.csv");
        SparkMlData.writeCsv(csv, d, "y", null);
        Path parquet = tmp.resolve("reg.parquet");
        SparkMlData.writeParquet(spark, parquet, d, "y", null);
        Config cli = cliTrain(tmp.resolve("cli-reg"), "--set", "data.train=" + csv, "--set", "model.loss=mse",
                "--set", "model.hidden=[16]", "--set", "train.epochs=8", "--set", "optimizer.learning-rate=0.03");
        SparkpropRegressor r = new SparkpropRegressor().setPartitions(2).setEpochs(8).setHiddenLayers(16)
                .setBatchSize(16).setSeed(7).setValidationFraction(0.2).setLabelCol("y").setLearningRate(0.03);
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(SparkMlData.featureNames(3)).setOutputCol("features"), r});
        Dataset<Row> rows = spark.read().parquet(parquet.toString());
        PipelineModel fitted = p.fit(rows);
        SparkpropRegressionModel m = (SparkpropRegressionModel) fitted.stages()[1];
        assertEquals(cli.getString("weights_sha256"), m.summary().weightsSha256());
        assertTrue((double) m.summary().values().get("val_r2") >= cli.getDouble("val_r2"));
        double r2 = new RegressionEvaluator().setLabelCol("y").setMetricName("r2").evaluate(fitted.transform(rows));
        assertTrue(r2 > 0.3, "r2 " + r2);
    }

    @Test
    void badValuesFailNamingTheParam() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setLearningRate(-1));
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setActivation("swish"));
        assertTrue(e.getMessage().contains("activation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setHiddenLayers(8, 0));
        assertTrue(e.getMessage().contains("hiddenLayers"), e.getMessage());

        Dataset<Row> rows = spark.read().format("libsvm").load(sparseLibsvm.toString());
        // The config param is validated as the CLI validates it, with the CLI's messages.
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setConfig("optimizer.learning-rate = -1").fit(rows));
        assertTrue(e.getMessage().contains("parameter config: optimizer.learning-rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setConfig("optimizer.nme = adam").fit(rows));
        assertTrue(e.getMessage().contains("optimizer.name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropRegressor().setLoss("softmax-cross-entropy").fit(rows));
        assertTrue(e.getMessage().contains("parameter loss"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setFeaturesCol("nope")
                .fit(rows));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void javaApiTrainsOnLabelledVectors() throws Exception {
        Dataset<Row> rows = seedsPipeline(new VectorAssembler().setInputCols(new String[] {"features"})
                .setOutputCol("unused")).fit(spark.read().parquet(seedsParquet.toString()))
                .transform(spark.read().parquet(seedsParquet.toString()));
        var points = rows.select("label", "features").toJavaRDD()
                .map(r -> new org.apache.spark.ml.feature.LabeledPoint(r.getDouble(0), (Vector) r.get(1)));
        TrainedNetwork net = SparkpropTraining.train(points, "spark.partitions = 2\ntrain.epochs = 6\n"
                + "model.hidden = [8]\ntrain.batch-size = 16\ntrain.seed = 7");
        Vector first = (Vector) rows.first().get(rows.schema().fieldIndex("features"));
        double[] p = net.probabilities(first);
        assertEquals(3, p.length);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
        assertEquals(Scorer.argmax(p), net.predict(first));
        assertEquals(List.of("0", "1", "2"), net.classNames());
        // save writes the CLI's model format; load reads it back, and reads a model saved from Spark ML.
        Path dir = tmp.resolve("java-api-model");
        net.save(dir.toString());
        assertArrayEquals(p, TrainedNetwork.load(dir.toString()).probabilities(first));
        SparkpropClassificationModel sparkMl = classifier().fit(rows);
        Path saved = tmp.resolve("java-api-spark-ml");
        sparkMl.write().save(saved.toString());
        assertArrayEquals(sparkMl.sparkpropModel().params(),
                TrainedNetwork.load(saved.toString()).sparkpropModel().params());
        // Same rows and settings as the Estimator: the same weights.
        assertEquals(sparkMl.summary().weightsSha256(), net.summary().weightsSha256());
    }

    @Test
    void estimatorsAreRegisteredForSparkConnect() throws Exception {
        for (String service : List.of("org.apache.spark.ml.Estimator", "org.apache.spark.ml.Transformer")) {
            List<String> names = new String(getClass().getResourceAsStream("/META-INF/services/" + service)
                    .readAllBytes()).lines().toList();
            assertEquals(2, names.size());
            for (String n : names) {
                Object o = Class.forName(n).getConstructor().newInstance();
                assertTrue(Class.forName(service).isInstance(o), n);
            }
        }
    }
}
