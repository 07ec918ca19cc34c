// A model.layers network through the CLI: trains in process and on Spark, resumes to the straight run's bits,
// evaluates, predicts and runs gradcheck; export and trace refuse it in one line.
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

    /** 80 rows of 4 × 4 images whose class (0..2) is the brighter column pair, the label last. */
    @BeforeAll
    static void data() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int c = r.nextInt(3);
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < 16; p++) {
                b.append(String.format("%.4f", r.nextDouble() + ((p % 4) / 2 == c || (c == 2 && p / 8 == 1) ? 0.6
                        : 0.0))).append(',');
            }
            lines.add(b.append(c).toString());
        }
        csv = Files.write(tmp.resolve("images.csv"), lines);
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

        Cli export = Cli.run("export", "--model", model.toString(), "--output", tmp.resolve("m.onnx").toString());
        assertEquals(2, export.exit(), export.err());
        assertTrue(export.err().contains("ONNX export covers dense networks"), export.err());
        assertOneErrorLine(export.err());
        assertTrue(!Files.exists(tmp.resolve("m.onnx")));
        Cli trace = Cli.run(args("trace", null));
        assertEquals(2, trace.exit(), trace.err());
        assertTrue(trace.err().contains("model.layers is not traced"), trace.err());
        assertOneErrorLine(trace.err());
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
