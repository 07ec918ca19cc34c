// A batch-norm network through the CLI on Spark: local[1] (driver protocol) and local[3] (barrier protocol) give
// the same weights_sha256 at 3 partitions, a run resumed from a checkpoint ends with the straight run's bits, and
// the saved model evaluates, predicts and exports to ONNX (reproducing predict) with its running statistics; the
// log, trace and model.json count trainable parameters as PyTorch does, the running statistics apart.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchNormCliTest {
    @TempDir
    static Path tmp;
    static Path csv;

    static final String LAYERS = "model.layers=[{type=conv2d,filters=2,kernel=3,padding=same,activation=tanh},"
            + "{type=batch-norm},{type=max-pool,size=2},{type=flatten},{type=dense,units=6},"
            + "{type=batch-norm,momentum=0.2}]";

    /** 90 rows of LayerListCliTest's 4 × 4 images. */
    @BeforeAll
    static void data() throws Exception {
        csv = Files.write(tmp.resolve("images.csv"), LayerListCliTest.images(90, 4));
    }

    static String[] train(Path out, String master, int epochs, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", "--set", "data.train=\"" + csv + "\"",
                "--set", "data.validation-fraction=0.2", "--set", "model.input-shape=[1,4,4]", "--set", LAYERS,
                "--set", "train.batch-size=24", "--set", "train.seed=5", "--set", "train.epochs=" + epochs,
                "--set", "train.engine=spark", "--set", "spark.partitions=3", "--master", master,
                "--out", out.toString()));
        if (resume) a.add("--resume");
        return a.toArray(new String[0]);
    }

    @Test
    void oneCoreAndThreeCoresGiveTheSameBitsAndAResumedRunEndsWithTheStraightRunsBits() throws Exception {
        Path one = tmp.resolve("one");
        Path three = tmp.resolve("three");
        Cli a = Cli.run(train(one, "local[1]", 4, false));
        assertEquals(0, a.exit(), a.err());
        Cli b = Cli.run(train(three, "local[3]", 4, false));
        assertEquals(0, b.exit(), b.err());
        assertEquals("driver", LayerListCliTest.summary(one).getString("spark_protocol"));
        assertEquals("barrier", LayerListCliTest.summary(three).getString("spark_protocol"));
        String sha = LayerListCliTest.summary(three).getString("weights_sha256");
        assertEquals(LayerListCliTest.summary(one).getString("weights_sha256"), sha);

        Path resumed = tmp.resolve("resumed");
        Cli first = Cli.run(train(resumed, "local[3]", 2, false));
        assertEquals(0, first.exit(), first.err());
        Cli again = Cli.run(train(resumed, "local[3]", 4, true));
        assertEquals(0, again.exit(), again.err());
        assertEquals(2, LayerListCliTest.summary(resumed).getInt("resumed_from_epoch"));
        assertEquals(sha, LayerListCliTest.summary(resumed).getString("weights_sha256"));

        Path model = three.resolve("model");
        Cli ev = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString());
        assertEquals(0, ev.exit(), ev.err());
        Path predictions = tmp.resolve("p.csv");
        Cli pr = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--output",
                predictions.toString());
        assertEquals(0, pr.exit(), pr.err());
        assertEquals(91, Files.readAllLines(predictions).size());
        // trace names what a batch-norm layer holds: γ, β (trainable) and the running statistics, C each (2
        // channels, 6 units), and counts the two apart
        Cli trace = Cli.run("trace", "--set", "data.train=\"" + csv + "\"", "--set", "model.input-shape=[1,4,4]",
                "--set", LAYERS, "--rows", "3");
        assertEquals(0, trace.exit(), trace.err());
        assertTrue(trace.out().contains("4 + 4 running statistics (γ, β [2]; running mean/var [2])"), trace.out());
        assertTrue(trace.out().contains("12 + 12 running statistics (γ, β [6]; running mean/var [6])"), trace.out());
        // PyTorch's count of parameters: Conv2d(1, 2, 3), BatchNorm2d(2), Linear(8, 6), BatchNorm1d(6),
        // Linear(6, 3) weights and biases; its buffers: the two batch-norms' running means and variances
        int trainable = (2 * 9 + 2) + 2 * 2 + (8 * 6 + 6) + 2 * 6 + (6 * 3 + 3);
        int buffers = 2 * 2 + 2 * 6;
        assertTrue(trace.out().lines().findFirst().orElseThrow().contains(", " + trainable + " parameters + "
                + buffers + " running statistics; "), trace.out());
        Cli traceJson = Cli.run("trace", "--set", "data.train=\"" + csv + "\"", "--set",
                "model.input-shape=[1,4,4]", "--set", LAYERS, "--rows", "3", "--format", "json");
        assertEquals(0, traceJson.exit(), traceJson.err());
        Config t = ConfigFactory.parseString(traceJson.out());
        assertEquals(trainable, t.getInt("network.parameters"));
        assertEquals(buffers, t.getInt("network.running_statistics"));
        Config json = ConfigFactory.parseFile(model.resolve("model.json").toFile());
        assertEquals(trainable, json.getInt("parameters"));
        assertEquals(buffers, json.getInt("running_statistics"));
        assertTrue(a.err().contains(", " + trainable + " parameters + " + buffers + " running statistics; "),
                "the train log's network line: " + a.err());

        // the exported graph normalises with the saved running statistics, as predict does
        for (String dtype : List.of("float32", "float64")) {
            Path file = tmp.resolve(dtype + ".onnx");
            Cli export = Cli.run("export", "--model", model.toString(), "--dtype", dtype, "--output",
                    file.toString());
            assertEquals(0, export.exit(), export.err());
            LayerListCliTest.assertOnnxReproducesPredict(file, Files.readAllLines(csv), 16,
                    Files.readAllLines(predictions), dtype.equals("float32") ? 1e-5 : 1e-12);
        }
    }
}
