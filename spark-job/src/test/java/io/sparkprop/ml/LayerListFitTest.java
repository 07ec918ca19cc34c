// The Spark ML estimators fit a model.layers network (params layerList and inputShape, or the config param):
// the CLI's weights bit for bit, predict's probabilities from transform, a save/load round trip, one-line errors.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
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

class LayerListFitTest {
    static final String LAYERS = "[{type = conv2d, filters = 2, kernel = 3, padding = same, activation = tanh},"
            + " {type = max-pool, size = 2}, {type = avg-pool, size = 2, stride = 1}, {type = flatten},"
            + " {type = dense, units = 6}, {type = dropout, rate = 0.1}]";

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path csv;
    static Dataset<Row> frame;

    /** 80 rows of 4 × 4 images whose class (0..2) is the brighter column pair: a CSV (label last) and a frame. */
    @BeforeAll
    static void start() throws Exception {
        spark = SparkMlData.localSpark("LayerListFitTest");
        SplittableRandom r = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int p = 0; p < 16; p++) header.append('f').append(p + 1).append(',');
        lines.add(header.append("label").toString());
        for (int i = 0; i < 80; i++) {
            int c = r.nextInt(3);
            double[] x = new double[16];
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < 16; p++) {
                x[p] = r.nextDouble() + ((p % 4) / 2 == c || (c == 2 && p / 8 == 1) ? 0.6 : 0.0);
                b.append(x[p]).append(',');
            }
            lines.add(b.append(c).toString());
            rows.add(RowFactory.create((double) c, Vectors.dense(x)));
        }
        csv = Files.write(tmp.resolve("images.csv"), lines);
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
        frame = spark.createDataFrame(rows, schema).coalesce(1);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aSmallCnnFitsToTheCliWeightsAndTransformsAsPredictDoes() throws Exception {
        Path out = tmp.resolve("cli");
        CliRunner.Result r = CliRunner.run("train", "--out", out.toString(), "--set", "data.train=" + csv,
                "--set", "data.validation-fraction=0", "--set", "train.engine=spark", "--set", "spark.partitions=2",
                "--set", "spark.protocol=barrier", "--set", "model.input-shape=[1,4,4]",
                "--set", "model.layers=" + LAYERS, "--set", "train.epochs=3", "--set", "train.batch-size=16",
                "--set", "train.seed=7");
        assertEquals(0, r.exit(), r.err());
        Config cli = ConfigFactory.parseFile(out.resolve("summary.json").toFile());

        SparkpropClassifier estimator = new SparkpropClassifier().setLayerList(LAYERS).setInputShape(1, 4, 4)
                .setPartitions(2).setStepProtocol("barrier").setEpochs(3).setBatchSize(16).setSeed(7);
        SparkpropClassificationModel model = estimator.fit(frame);
        assertEquals(cli.getString("weights_sha256"), model.summary().weightsSha256(), "weights of fit vs train");
        assertTrue(model.sparkpropModel().net().isLayerList());
        String w = assertThrows(UnsupportedOperationException.class, model::weights).getMessage();
        assertTrue(w.startsWith("weights: MLlib's order describes dense layers") && !w.contains("\n"), w);

        // The same run described in the config param instead of the two params.
        SparkpropClassificationModel viaConfig = new SparkpropClassifier().setConfig("model.input-shape = [1, 4, 4]\n"
                + "model.layers = " + LAYERS).setPartitions(2).setStepProtocol("barrier").setEpochs(3)
                .setBatchSize(16).setSeed(7).fit(frame);
        assertEquals(cli.getString("weights_sha256"), viaConfig.summary().weightsSha256());

        Path predictions = tmp.resolve("p.csv");
        CliRunner.Result p = CliRunner.run("predict", "--model", out.resolve("model").toString(), "--data",
                csv.toString(), "--output", predictions.toString());
        assertEquals(0, p.exit(), p.err());
        List<String> predicted = Files.readAllLines(predictions);
        List<Row> scored = model.transform(frame).select("probability", "prediction").collectAsList();
        assertEquals(80, scored.size());
        for (int i = 0; i < 80; i++) {
            String[] want = predicted.get(i + 1).split(",");
            double[] prob = ((Vector) scored.get(i).get(0)).toArray();
            for (int j = 0; j < 3; j++) {
                assertEquals(Double.parseDouble(want[j + 1]), prob[j], 1e-15, "row " + i);
            }
            assertEquals(Double.parseDouble(want[0]), scored.get(i).getDouble(1), "row " + i);
        }

        // A CLI model folder as a Spark ML model: its getters give the layer list, and refitting from them the weights.
        SparkpropClassificationModel fromDir = SparkpropClassificationModel.fromModelDir(out.resolve("model")
                .toString());
        assertArrayEquals(new int[] {1, 4, 4}, fromDir.getInputShape());
        SparkpropClassificationModel refit = new SparkpropClassifier().setLayerList(fromDir.getLayerList())
                .setInputShape(fromDir.getInputShape()).setPartitions(2).setStepProtocol("barrier").setEpochs(3)
                .setBatchSize(16).setSeed(7).fit(frame);
        assertEquals(cli.getString("weights_sha256"), refit.summary().weightsSha256(), fromDir.getLayerList());

        // exportOnnx: ONNX Runtime on the features column gives the probability column.
        Path onnx = tmp.resolve("fit.onnx");
        model.exportOnnx(onnx.toString());
        List<Row> features = frame.select("features").collectAsList();
        float[][] x = new float[80][16];
        for (int i = 0; i < 80; i++) {
            double[] v = ((Vector) features.get(i).get(0)).toArray();
            for (int j = 0; j < 16; j++) x[i][j] = (float) v[j];
        }
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession s = env.createSession(onnx.toString());
             ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, x);
             ai.onnxruntime.OrtSession.Result res = s.run(java.util.Map.of("features", in))) {
            float[][] got = (float[][]) res.get("probabilities").orElseThrow().getValue();
            for (int i = 0; i < 80; i++) {
                double[] want = ((Vector) scored.get(i).get(0)).toArray();
                for (int j = 0; j < 3; j++) assertEquals(want[j], got[i][j], 1e-5, "ONNX row " + i);
            }
        }

        Path saved = tmp.resolve("saved");
        model.write().overwrite().save(saved.toString());
        SparkpropClassificationModel back = SparkpropClassificationModel.load(saved.toString());
        assertEquals(LAYERS, back.getLayerList());
        assertArrayEquals(new int[] {1, 4, 4}, back.getInputShape());
        assertTrue(back.sparkpropModel().net().isLayerList());
        List<Row> again = back.transform(frame).select("probability").collectAsList();
        for (int i = 0; i < 80; i++) {
            assertArrayEquals(((Vector) scored.get(i).get(0)).toArray(), ((Vector) again.get(i).get(0)).toArray(),
                    "row " + i);
        }
    }

    /** The regressor takes the same params: it fits, transforms and round-trips a layer list too. */
    @Test
    void theRegressorFitsALayerList() throws Exception {
        SparkpropRegressionModel m = new SparkpropRegressor().setLayerList(LAYERS).setInputShape(1, 4, 4)
                .setPartitions(2).setEpochs(2).setBatchSize(16).setSeed(7).fit(frame);
        assertTrue(m.sparkpropModel().net().isLayerList());
        List<Row> p = m.transform(frame).select("prediction").collectAsList();
        Path saved = tmp.resolve("regressor");
        m.write().overwrite().save(saved.toString());
        List<Row> q = SparkpropRegressionModel.load(saved.toString()).transform(frame).select("prediction")
                .collectAsList();
        assertEquals(80, p.size());
        assertEquals(p, q);
        assertTrue(p.stream().map(r -> r.getDouble(0)).distinct().count() > 1, "predictions depend on the rows");
    }

    @Test
    void aBadListIsRefusedWhenSetAndABadEntryWhenFitInOneLine() {
        assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setLayerList("{type = dense}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier()
                .setLayerList("[{type = conv2d, filterz = 2, kernel = 3}]").setInputShape(1, 4, 4).fit(frame));
        assertTrue(e.getMessage().contains("model.layers[0].filterz: not a key of conv2d"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier()
                .setLayerList(LAYERS).setInputShape(1, 4, 5).fit(frame));
        assertTrue(shape.getMessage().contains("model.input-shape"), shape.getMessage());
    }
}
