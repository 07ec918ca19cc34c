// gradcheck and trace with data.weight-column and train.class-weights: both work on the loss a training step
// takes, Σ w·C, and say so; the weight column is not a feature of the checked network.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

class WeightedDiagnosticsTest {
    @TempDir
    static Path dir;
    /** 60 rows a,b,w,kind: two features, a weight column w (0.5, 1 or 3) and a class x or y. */
    static Path weighted;
    static final double[] W = {0.5, 1, 3};

    @BeforeAll
    static void data() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        List<String> lines = new ArrayList<>(List.of("a,b,w,kind"));
        for (int i = 0; i < 60; i++) {
            String kind = i % 3 == 0 ? "x" : "y";
            double c = kind.equals("x") ? 0.8 : 0.0;
            lines.add((c + rnd.nextGaussian()) + "," + (c + rnd.nextGaussian()) + "," + W[i % 3] + "," + kind);
        }
        weighted = Files.write(dir.resolve("weighted.csv"), lines);
    }

    static Cli seeds(String command, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--config", Cli.conf("default.conf"), "--set",
                "model.hidden=[6,5]"));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(new String[0]));
    }

    /** The value of gradcheck's "loss X" line. */
    static double loss(Cli gradcheck) {
        assertEquals(0, gradcheck.exit(), gradcheck.out() + gradcheck.err());
        return Double.parseDouble(gradcheck.out().lines().filter(l -> l.startsWith("loss ")).findFirst()
                .orElseThrow().substring(5));
    }

    @Test
    void gradcheckChecksTheWeightedLossWithoutTheWeightColumnAsAFeature() {
        Cli r = Cli.run("gradcheck", "--set", "data.train=\"" + weighted + "\"", "--set", "data.label-column=kind",
                "--set", "data.weight-column=w", "--set", "model.hidden=[5]");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("network [2, 5, 2] "), "a, b in; w is the weight:\n" + r.out());
        assertTrue(r.out().contains("weighted loss Σ w·C, row weights w [")
                && r.out().contains("(" + GradcheckCommand.ROW_WEIGHTS + " for w)"), r.out());

        // balanced class weights counted on the file's 60 rows (20 x, 40 y): n / (2·n_x) and n / (2·n_y), times
        // the drawn row weights
        Cli balanced = Cli.run("gradcheck", "--set", "data.train=\"" + weighted + "\"", "--set",
                "data.label-column=kind", "--set", "data.weight-column=w", "--set", "model.hidden=[5]", "--set",
                "train.class-weights=balanced");
        assertEquals(0, balanced.exit(), balanced.out() + balanced.err());
        assertTrue(balanced.out().contains("(" + GradcheckCommand.ROW_WEIGHTS + " for w × train.class-weights [1.5,"
                + " 0.75])"), balanced.out());

        // same rows (the weights are drawn after them): class weights all 2 double the loss; uneven ones change it
        double plain = loss(seeds("gradcheck"));
        double twice = loss(seeds("gradcheck", "--set", "train.class-weights=[2,2,2]"));
        assertEquals(2 * plain, twice, 1e-12 * twice);
        Cli uneven = seeds("gradcheck", "--set", "train.class-weights=[1,2,3]");
        assertNotEquals(plain, loss(uneven));
        assertTrue(uneven.out().contains("(train.class-weights [1.0, 2.0, 3.0])"), uneven.out());
        String last = uneven.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        assertTrue(Double.parseDouble(last.substring("max_relative_error=".length())) <= 1e-6, last);

        Cli wrong = seeds("gradcheck", "--set", "train.class-weights=[1,2]");
        assertEquals(2, wrong.exit(), wrong.err());
        LayerListCliTest.assertOneErrorLine(wrong.err());
        assertTrue(wrong.err().contains("train.class-weights: 2 weights for 3 classes"), wrong.err());
    }

    static Config json(Cli trace) {
        assertEquals(0, trace.exit(), trace.err());
        return ConfigFactory.parseString(trace.out());
    }

    @Test
    void traceStepsOnTheWeightedLossAndShowsTheWeights() {
        Config plain = json(seeds("trace", "--rows", "3", "--format", "json"));
        assertTrue(!plain.hasPath("weights") && !plain.hasPath("weight_sum"), "unweighted: no weights");
        Config twice = json(seeds("trace", "--rows", "3", "--format", "json", "--set",
                "train.class-weights=[2,2,2]"));
        assertEquals(List.of(2.0, 2.0, 2.0), twice.getDoubleList("weights"));
        assertEquals(6.0, twice.getDouble("weight_sum"));
        assertEquals(2 * plain.getDouble("loss"), twice.getDouble("loss"), 1e-12 * twice.getDouble("loss"));
        // Σ 2·g / 6 is the plain mean: the same step
        assertEquals(plain.getDouble("loss_mean"), twice.getDouble("loss_mean"), 1e-12);
        assertEquals(plain.getDouble("gradient_norm"), twice.getDouble("gradient_norm"), 1e-12);

        double[] perClass = {1, 2, 3};
        Config uneven = json(seeds("trace", "--rows", "3", "--format", "json", "--set",
                "train.class-weights=[1,2,3]"));
        List<Double> w = uneven.getDoubleList("weights");
        List<?> classes = (List<?>) uneven.getAnyRefList("targets").get(0); // targets × rows: one row of classes
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(perClass[((Number) classes.get(i)).intValue()], w.get(i), "row " + i + "'s class weight");
            sum += w.get(i);
        }
        assertEquals(sum, uneven.getDouble("weight_sum"));
        assertEquals(uneven.getDouble("loss") / sum, uneven.getDouble("loss_mean"), 1e-15);
        assertNotEquals(plain.getDouble("gradient_norm"), uneven.getDouble("gradient_norm"));

        // the weight column: each traced row's weight is its w, row i of the file (no validation split)
        String[] file = {"trace", "--set", "data.train=\"" + weighted + "\"", "--set", "data.label-column=kind",
            "--set", "data.weight-column=w", "--set", "data.validation-fraction=0", "--rows", "4"};
        Config col = json(Cli.run(LayerListCliTest.concat(file, new String[]{"--format", "json"})));
        List<Integer> rows = col.getIntList("rows");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(W[rows.get(i) % 3], col.getDoubleList("weights").get(i), "row " + rows.get(i));
        }
        Cli text = Cli.run(file);
        assertEquals(0, text.exit(), text.err());
        for (String s : List.of("w (row weights: " + TraceCommand.WEIGHT_KEYS + "):",
                "loss C = Σ w·softmax-cross-entropy over 4 row(s) = ", "δ2 = w ⊙ ∂C/∂z2:",
                "on the weighted mean gradient Σ w·∂C/∂θ / W over 4 row(s)")) {
            assertTrue(text.out().contains(s), s + " in\n" + text.out());
        }
    }

    @Test
    void aLayerListTraceShowsTheWeightsToo() throws Exception {
        Path images = Files.write(dir.resolve("images.csv"), LayerListCliTest.images(30, 4));
        String[] a = {"trace", "--set", "data.train=\"" + images + "\"", "--set", "model.input-shape=[1,4,4]",
            "--set", LayerListCliTest.LAYERS, "--set", "train.class-weights=[1,2,3]", "--rows", "3"};
        Cli text = Cli.run(a);
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("loss C = Σ w·softmax-cross-entropy over 3 row(s) = "), text.out());
        assertTrue(text.out().contains("the weighted mean gradient"), text.out());
        Config j = json(Cli.run(LayerListCliTest.concat(a, new String[]{"--format", "json"})));
        assertEquals(3, j.getDoubleList("weights").size());
        assertEquals(j.getDouble("loss") / j.getDouble("weight_sum"), j.getDouble("loss_mean"), 1e-15);
    }
}
