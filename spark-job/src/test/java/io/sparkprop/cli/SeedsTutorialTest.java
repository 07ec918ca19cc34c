// The seeds' own network end to end: the from-scratch tutorial's protocol, and a warm start from a saved model.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class SeedsTutorialTest {
    @TempDir
    Path tmp;

    static Config summary(Path out) {
        return ConfigFactory.parseFile(out.resolve("summary.json").toFile());
    }

    /** train_loss of metrics.csv's epoch e (1-based). */
    static double epochLoss(Path out, int e) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        return Double.parseDouble(lines.get(e).split(",")[2]);
    }

    @Test
    void theTutorialProtocolReachesItsAccuracy() {
        Path out = tmp.resolve("seeds");
        Cli r = Cli.run("train", "--config", Cli.conf("seeds-tutorial.conf"), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Config s = summary(out);
        assertEquals(5, s.getDoubleList("cv_accuracy").size());
        double mean = s.getDouble("cv_accuracy_mean");
        assertTrue(mean >= 0.93, "cv_accuracy_mean " + mean + " (the tutorial reports 0.933)");
        assertTrue(r.err().contains("sigmoid + mse"), r.err());
    }

    @Test
    void aWarmStartContinuesFromTheSavedWeights() throws Exception {
        // Full-batch SGD: one step per epoch, so an epoch's train_loss is the loss of one step at the weights
        // that step started from. The first step of the second run must start from the first run's final
        // weights, so its loss is the first run's final model evaluated on the same (identically scaled)
        // training rows — summary.json's train_loss — not the first run's last epoch loss, which was measured
        // one update earlier.
        String[] common = {"--config", Cli.conf("default.conf"), "--set", "data.validation-fraction=0",
            "--set", "optimizer.name=sgd", "--set", "optimizer.learning-rate=0.5", "--set", "schedule.name=constant",
            "--set", "train.batch-size=210", "--set", "train.epochs=10", "--set", "checkpoint.every-epochs=0"};
        Path first = tmp.resolve("first");
        Cli a = Cli.run(TrainCommandTest.concat(common, "train", "--out", first.toString()));
        assertEquals(0, a.exit(), a.err());
        Path second = tmp.resolve("second");
        Cli b = Cli.run(TrainCommandTest.concat(common, "train", "--out", second.toString(),
                "--set", "model.init=\"file:" + first.resolve("model") + "\""));
        assertEquals(0, b.exit(), b.err());

        double finalLoss = summary(first).getDouble("train_loss");
        double continued = epochLoss(second, 1);
        assertEquals(finalLoss, continued, 1e-12, "the second run's first step starts where the first ended");
        // Not trivially true: a fresh start has another loss, and the first run did improve on it.
        assertNotEquals(epochLoss(first, 1), continued, 1e-3);
        assertTrue(continued < epochLoss(first, 10), continued + " vs " + epochLoss(first, 10));
    }

    @Test
    void aWarmStartWithOtherLayerSizesIsOneLineNamingTheLayer() throws Exception {
        Path first = tmp.resolve("small");
        assertEquals(0, Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=1",
                "--out", first.toString()).exit());
        Path never = tmp.resolve("never");
        Cli r = Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "model.hidden=[7]",
                "--set", "model.init=\"file:" + first.resolve("model") + "\"", "--out", never.toString());
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("sparkprop: model.init: ") && last.contains("layer 1 is 16 × 7 (out × in), the"
                + " network's is 7 × 7"), r.err());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("sparkprop:") || l.startsWith("\tat ")).count(),
                r.err());
        assertFalse(Files.exists(never), "nothing written");
    }
}
