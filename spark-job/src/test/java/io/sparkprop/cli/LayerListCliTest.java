// A model.layers network through the CLI: trains in process and on Spark, resumes to the straight run's bits,
// evaluates, predicts and runs gradcheck; export writes ONNX that reproduces predict; trace shows shapes per layer.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class LayerListCliTest {
    @TempDir
    static Path tmp;
    static Path csv;

    static final String LAYERS = "model.layers=[{type=conv2d,filters=2,kernel=3,padding=same,activation=tanh},"
            + "{type=max-pool,size=2},{type=flatten},{type=dense,units=6},{type=dropout,rate=0.1}]";

    @BeforeAll
    static void data() throws Exception {
        csv = Files.write(tmp.resolve("images.csv"), images(80, 3));
    }

    /** n rows of 4 × 4 images whose class (0..2) is the brighter column pair, the label last. */
    static List<String> images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < 16; p++) {
                b.append(String.format("%.4f", r.nextDouble() + ((p % 4) / 2 == c || (c == 2 && p / 8 == 1) ? 0.6
                        : 0.0))).append(',');
            }
            lines.add(b.append(c).toString());
        }
        return lines;
    }

    static String[] args(String command, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--set", "data.train=\"" + csv + "\"",
                "--set", "data.validation-fraction=0", "--set", "model.input-shape=[1,4,4]", "--set", LAYERS,
                "--set", "train.batch-size=16", "--set", "train.seed=5"));
        if (out != null) a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    static Config summary(Path out) {
        return ConfigFactory.parseFile(out.resolve("summary.json").toFile());
    }

    @Test
    void sparkRunResumedFromACheckpointEndsBitwiseEqualToTheStraightRun() {
        String[] spark = {"--master", "local[2]", "--set", "train.engine=spark", "--set", "spark.partitions=2"};
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        Cli a = Cli.run(concat(args("train", straight, "--set", "train.epochs=4"), spark));
        assertEquals(0, a.exit(), a.err());
        Cli first = Cli.run(concat(args("train", resumed, "--set", "train.epochs=2"), spark));
        assertEquals(0, first.exit(), first.err());
        Cli again = Cli.run(concat(args("train", resumed, "--set", "train.epochs=4", "--resume"), spark));
        assertEquals(0, again.exit(), again.err());
        assertEquals(2, summary(resumed).getInt("resumed_from_epoch"));
        assertEquals(summary(straight).getString("weights_sha256"), summary(resumed).getString("weights_sha256"));
    }

    @Test
    void inProcessRunSavesFormat2AndServesEvaluatePredictAndGradcheck() throws Exception {
        Path out = tmp.resolve("local");
        Cli t = Cli.run(args("train", out, "--set", "train.epochs=30", "--set", "optimizer.learning-rate=0.02"));
        assertEquals(0, t.exit(), t.err());
        assertTrue(Files.readString(out.resolve("model/model.json")).contains("sparkprop-model/2"));
        assertTrue(summary(out).getDouble("train_accuracy") > 0.8, t.err());
        Path model = out.resolve("model");
        Cli ev = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString());
        assertEquals(0, ev.exit(), ev.err());
        Path predictions = tmp.resolve("p.csv");
        Cli pr = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--output",
                predictions.toString());
        assertEquals(0, pr.exit(), pr.err());
        assertEquals(81, Files.readAllLines(predictions).size());
        Cli g = Cli.run(args("gradcheck", null));
        assertEquals(0, g.exit(), g.out() + g.err());

        for (String dtype : List.of("float32", "float64")) {
            Path file = tmp.resolve(dtype + ".onnx");
            Cli export = Cli.run("export", "--model", model.toString(), "--dtype", dtype, "--output", file.toString());
            assertEquals(0, export.exit(), export.err());
            assertOnnxReproducesPredict(file, Files.readAllLines(predictions), dtype.equals("float32") ? 1e-5 : 1e-12);
        }
    }

    @Test
    void traceShowsEachLayersShapesAndParameters() {
        Cli text = Cli.run(args("trace", null, "--rows", "3"));
        assertEquals(0, text.exit(), text.err());
        // conv2d, 2 filters of 3 × 3 over 1 channel, padding same: [1, 4, 4] → [2, 4, 4], 2·1·3·3 + 2 parameters
        assertTrue(text.out().lines().anyMatch(l -> l.matches("\\s+0\\s+conv2d\\s+\\[1, 4, 4]\\s+\\[2, 4, 4]\\s+"
                + (2 * 9 + 2) + " \\(W \\[2, 1, 3, 3], b \\[2]\\)")), text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.matches("\\s+1\\s+max-pool\\s+\\[2, 4, 4]\\s+\\[2, 2, 2]\\s+0")),
                text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.matches("\\s+output\\s+dense\\s+\\[6]\\s+\\[3]\\s+"
                + (6 * 3 + 3) + " .*")), text.out());

        Cli json = Cli.run(args("trace", null, "--rows", "3", "--format", "json"));
        assertEquals(0, json.exit(), json.err());
        Config t = ConfigFactory.parseString(json.out());
        List<? extends Config> layers = t.getConfigList("layers");
        assertEquals(6, layers.size(), "five listed layers and the output layer");
        int params = 0;
        for (int k = 0; k < layers.size(); k++) {
            Config l = layers.get(k);
            params += l.getInt("parameters");
            if (k > 0) {
                assertEquals(layers.get(k - 1).getIntList("output"), l.getIntList("input"), "boundary " + k);
            }
            if (l.hasPath("W")) {
                assertTrue(l.getDouble("dW_norm") > 0, "layer " + k + " has a gradient");
                assertTrue(l.getDouble("W_norm_after") != l.getDouble("W_norm"), "layer " + k + " was updated");
            }
        }
        assertEquals(t.getInt("network.parameters"), params);
        assertEquals(List.of(1, 4, 4), t.getIntList("network.input_shape"));
        assertEquals(3, t.getList("predictions").size(), "one row per class");
        assertTrue(t.getDouble("loss") > 0);
    }

    /** ORT on the CSV's 16 feature columns gives predict's p_ columns (the CSV: label, p_0, p_1, p_2). */
    static void assertOnnxReproducesPredict(Path file, List<String> predicted, double tol) throws Exception {
        assertOnnxReproducesPredict(file, Files.readAllLines(csv), 16, predicted, tol);
    }

    /**
     * ORT on the first {@code features} columns of {@code lines} (a data file's rows, header left out) gives
     * predict's p_ columns for 3 classes (predicted: a header, then label, p_0, p_1, p_2 per row).
     */
    static void assertOnnxReproducesPredict(Path file, List<String> rows, int features, List<String> predicted,
                                            double tol) throws Exception {
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        boolean f64 = tol < 1e-6;
        assertEquals(rows.size() + 1, predicted.size(), "one prediction per row");
        Object x = f64 ? new double[rows.size()][features] : new float[rows.size()][features];
        for (int r = 0; r < rows.size(); r++) {
            String[] v = rows.get(r).split(",");
            for (int j = 0; j < features; j++) {
                if (f64) ((double[][]) x)[r][j] = Double.parseDouble(v[j]);
                else ((float[][]) x)[r][j] = Float.parseFloat(v[j]);
            }
        }
        try (ai.onnxruntime.OrtSession s = env.createSession(file.toString());
             ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(env, x);
             ai.onnxruntime.OrtSession.Result r = s.run(java.util.Map.of("features", in))) {
            Object p = r.get("probabilities").orElseThrow().getValue();
            for (int c = 0; c < rows.size(); c++) {
                String[] want = predicted.get(c + 1).split(",");
                for (int j = 0; j < 3; j++) {
                    double got = f64 ? ((double[][]) p)[c][j] : ((float[][]) p)[c][j];
                    assertEquals(Double.parseDouble(want[j + 1]), got, tol, file + " row " + c);
                }
            }
        }
    }

    /** One "sparkprop: ..." line and no stack trace (a data line may come before it). */
    static void assertOneErrorLine(String err) {
        assertEquals(1, err.lines().filter(l -> l.startsWith("sparkprop:")).count(), err);
        assertTrue(err.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), err);
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
