// Whole runs with data.weight-column and train.class-weights: all-ones weights give the unweighted run's bits,
// balanced class weights raise the minority class's recall, and bad weights fail with one line.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;

class WeightColumnRunTest {
    @TempDir
    Path tmp;

    static final RunHooks LOCAL = (net, d, plan) -> LocalEngine.on(net, d, plan, () -> Backend.AUTO.gemm(), 2);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * Two overlapping Gaussian classes, 90% "major" around (0, 0) and 10% "minor" around (1.2, 1.2), with a
     * weight column (all {@code weight}) between the features.
     */
    Path imbalanced(String name, int rows, long seed, String weight) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x1,w,x2,label\n");
        for (int i = 0; i < rows; i++) {
            boolean minor = i % 10 == 0;
            double c = minor ? 1.2 : 0.0;
            sb.append(c + r.nextGaussian()).append(',').append(weight).append(',').append(c + r.nextGaussian())
                    .append(',').append(minor ? "minor" : "major").append('\n');
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    static TrainConfig cfg(Path train, String... extra) {
        List<String> sets = new ArrayList<>(List.of("data.train=\"" + train + "\"", "data.label-column=label",
                "model.hidden=[8]", "model.activation=tanh", "train.epochs=15", "train.batch-size=64",
                "optimizer.learning-rate=0.02", "data.validation-fraction=0.25"));
        sets.addAll(List.of(extra));
        return TrainConfig.from(ConfigLoader.load(null, sets));
    }

    @Test
    void allOnesWeightsGiveTheBitsOfARunWithoutAWeightColumn() throws Exception {
        Path f = imbalanced("ones.csv", 600, 1, "1");
        Path noW = Files.writeString(tmp.resolve("now.csv"), String.join("\n", Files.readAllLines(f).stream()
                .map(l -> l.replaceFirst(",[^,]*,", ",")).toList()) + "\n");
        Map<String, Object> without = new TrainJob(cfg(noW), tmp.resolve("b"), LOCAL, QUIET).run(false);
        Map<String, Object> ones = new TrainJob(cfg(f, "data.weight-column=w"), tmp.resolve("c"), LOCAL, QUIET)
                .run(false);
        assertEquals(without.get("weights_sha256"), ones.get("weights_sha256"));
        assertEquals(without.get("val_accuracy"), ones.get("val_accuracy"));
        Path twos = imbalanced("twos.csv", 600, 1, "2");
        List<EpochRecord> onesEpochs = new ArrayList<>();
        List<EpochRecord> twosEpochs = new ArrayList<>();
        new TrainJob(cfg(f, "data.weight-column=w"), tmp.resolve("e"), LOCAL, QUIET).onEpoch(onesEpochs::add)
                .run(false);
        Map<String, Object> doubled = new TrainJob(cfg(twos, "data.weight-column=w"), tmp.resolve("d"), LOCAL, QUIET)
                .onEpoch(twosEpochs::add).run(false);
        // Every weight 2: the sums and the divisor double exactly (a power of two), so the step is the same bits,
        // and so is each epoch's training loss, a weighted mean (Σ w·loss / Σ w).
        assertEquals(ones.get("weights_sha256"), doubled.get("weights_sha256"));
        assertEquals(15, twosEpochs.size());
        for (int i = 0; i < onesEpochs.size(); i++) {
            assertEquals(onesEpochs.get(i).trainLoss(), twosEpochs.get(i).trainLoss(), "epoch " + (i + 1));
        }
    }

    /** Recall of class "minor" on the validation rows of a run's saved model. */
    static double minorRecall(TrainConfig cfg) throws Exception {
        PreparedData d = PreparedData.load(cfg, QUIET);
        Network net = d.network(cfg);
        BatchPlan plan = ConfiguredUpdater.plan(cfg, d.trainRows(), cfg.seed());
        TrainState state;
        try (Engine e = LOCAL.engine(net, d, plan)) {
            state = new RunStart(cfg, null).fresh(net);
            new Trainer(net, e, ConfiguredUpdater.rule(cfg, net, plan), null, 0, 0).run(state, cfg.epochs(), r -> {
            });
        }
        Metrics m = new Evaluator(net, net.newWorkspace(Backend.AUTO.gemm())).evaluate(state.params, d.validation);
        return m.recall(d.classNames().indexOf("minor"));
    }

    @Test
    void balancedClassWeightsRaiseTheMinorityRecall() throws Exception {
        Path f = imbalanced("imb.csv", 2000, 7, "1");
        double plain = minorRecall(cfg(f, "data.weight-column=w"));
        double balanced = minorRecall(cfg(f, "data.weight-column=w", "train.class-weights=balanced"));
        assertTrue(balanced > plain + 0.3, "minority recall " + plain + " unweighted, " + balanced + " balanced");
        PreparedData d = PreparedData.load(cfg(f, "train.class-weights=balanced"), QUIET);
        int minor = d.classNames().indexOf("minor");
        long n = d.train.rows;
        long nMinor = 0;
        for (int r = 0; r < n; r++) if (d.train.label(r) == minor) nMinor++;
        assertEquals((double) n / (2.0 * nMinor), d.train.classWeight[minor], 1e-12);
        assertEquals(null, d.validation.classWeight, "class weights are for training rows only");
    }

    @Test
    void explicitClassWeightsFollowTheClassOrder() throws Exception {
        Path f = imbalanced("cw.csv", 200, 3, "1");
        PreparedData d = PreparedData.load(cfg(f, "train.class-weights=[0.5, 4]"), QUIET);
        assertArrayEquals(new double[] {0.5, 4}, d.train.classWeight);
        String msg = assertThrows(UserError.class,
                () -> PreparedData.load(cfg(f, "train.class-weights=[1, 2, 3]"), QUIET)).getMessage();
        assertTrue(msg.startsWith("train.class-weights: 3 weights for 2 classes"), msg);
    }

    @Test
    void badWeightsFailWithOneLineNamingTheKeyOrTheLine() throws Exception {
        Path neg = Files.writeString(tmp.resolve("neg.csv"), "x1,w,x2,label\n1,1,2,a\n2,-0.5,3,b\n3,1,1,a\n");
        Path nan = Files.writeString(tmp.resolve("nan.csv"), "x1,w,x2,label\n1,1,2,a\n2,NaN,3,b\n3,1,1,a\n");
        Path ok = Files.writeString(tmp.resolve("ok.csv"), "x1,w,x2,label\n1,1,2,a\n2,1,3,b\n3,1,1,a\n2,2,2,b\n");
        String m1 = failure(cfg(neg, "data.weight-column=w", "data.validation-fraction=0"));
        assertTrue(m1.contains("neg.csv:3") && m1.contains("\"w\" (weight)") && m1.contains("negative"), m1);
        String m2 = failure(cfg(nan, "data.weight-column=w", "data.validation-fraction=0"));
        assertTrue(m2.contains("nan.csv:3") && m2.contains("not finite"), m2);
        String m3 = failure(cfg(ok, "data.weight-column=weight", "data.validation-fraction=0"));
        assertTrue(m3.contains("data.weight-column: no column named \"weight\""), m3);
        String m4 = assertThrows(UserError.class, () -> cfg(ok, "data.weight-column=label")).getMessage();
        assertTrue(m4.startsWith("data.weight-column:"), m4);
        String m5 = assertThrows(UserError.class, () -> cfg(ok, "train.class-weights=[1, -2]")).getMessage();
        assertTrue(m5.startsWith("train.class-weights:"), m5);
        String m6 = failure(TrainConfig.from(ConfigLoader.load(null, List.of("data.weight-column=w"))));
        assertTrue(m6.startsWith("data.weight-column:") && m6.contains("builtin"), m6);
        for (String m : List.of(m1, m2, m3, m4, m5, m6)) assertTrue(!m.contains("\n"), m);
    }

    private static String failure(TrainConfig cfg) {
        return assertThrows(UserError.class, () -> PreparedData.load(cfg, QUIET)).getMessage();
    }
}
