// End-to-end CLI runs: train writes every output, evaluate and predict read the model back, resume is exact.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class TrainCommandTest {
    @TempDir
    Path tmp;

    static Config summary(Path out) {
        return ConfigFactory.parseFile(out.resolve("summary.json").toFile());
    }

    @Test
    void defaultRunWritesEveryOutputAndTheModelReadsBack() throws Exception {
        Path out = tmp.resolve("run");
        Cli train = Cli.run("train", "--config", Cli.conf("default.conf"), "--out", out.toString());
        assertEquals(0, train.exit(), train.err());
        for (String f : List.of("summary.json", "metrics.csv", "config.conf", "curves.png", "model/model.json",
                "model/weights.bin")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        Config s = summary(out);
        assertTrue(s.getDouble("val_accuracy") >= 0.90, "val_accuracy " + s.getDouble("val_accuracy"));
        assertEquals("local", s.getString("engine"));
        assertEquals(64, s.getString("weights_sha256").length());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("epoch,step,train_loss,val_loss,val_accuracy,learning_rate,samples_per_second,elapsed_seconds",
                metrics.get(0));
        assertEquals(s.getInt("epochs") + 1, metrics.size());

        Cli eval = Cli.run("evaluate", "--model", out.resolve("model").toString(), "--data", "builtin:wheat-seeds");
        assertEquals(0, eval.exit(), eval.err());
        Config e = ConfigFactory.parseString(eval.out());
        assertEquals(210, e.getInt("rows"));
        assertTrue(e.getDouble("accuracy") > 0.9);
        assertTrue(e.hasPath("loss"));

        Path csv = tmp.resolve("pred.csv");
        Cli pred = Cli.run("predict", "--model", out.resolve("model").toString(), "--data", "builtin:wheat-seeds",
                "--output", csv.toString());
        assertEquals(0, pred.exit(), pred.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("label,p_1,p_2,p_3", rows.get(0));
        assertEquals(211, rows.size());
        String[] first = rows.get(1).split(",");
        double p = Double.parseDouble(first[1]) + Double.parseDouble(first[2]) + Double.parseDouble(first[3]);
        assertEquals(1.0, p, 1e-9);
    }

    /** The epoch numbers of a run's progress lines ("epoch    4  step ..."), in the order printed. */
    static List<Integer> epochsPrinted(String log) {
        return log.lines().filter(l -> l.startsWith("epoch ")).map(l -> Integer.parseInt(l.split("\\s+")[1]))
                .toList();
    }

    @Test
    void sparkRunResumedFromACheckpointTrainsOnlyTheRemainingEpochsAndEndsBitwiseEqual() throws Exception {
        String[] common = {"--config", Cli.conf("spirals.conf"), "--master", "local[2]",
            "--set", "train.engine=spark", "--set", "spark.partitions=3", "--set", "model.dropout=0.1"};
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        assertEquals(0, Cli.run(concat(common, "train", "--set", "train.epochs=6", "--out", straight.toString()))
                .exit());
        Cli first = Cli.run(concat(common, "train", "--set", "train.epochs=3", "--out", resumed.toString()));
        assertEquals(0, first.exit(), first.err());
        assertFalse(summary(resumed).hasPath("resumed_from_epoch"), "a fresh run resumed nothing");
        List<String> firstMetrics = Files.readAllLines(resumed.resolve("metrics.csv"));
        Cli again = Cli.run(concat(common, "train", "--set", "train.epochs=6", "--resume", "--out",
                resumed.toString()));
        assertEquals(0, again.exit(), again.err());
        Config a = summary(straight);
        Config b = summary(resumed);
        // It resumed: this run trained epochs 4..6 only, and kept the first run's rows (their timings could
        // not repeat to the millisecond had it retrained them).
        assertEquals(3, b.getInt("resumed_from_epoch"));
        assertEquals(List.of(4, 5, 6), epochsPrinted(again.err()), again.err());
        List<String> metrics = Files.readAllLines(resumed.resolve("metrics.csv"));
        assertEquals(7, metrics.size());
        assertEquals(firstMetrics, metrics.subList(0, 4));
        assertEquals(a.getString("weights_sha256"), b.getString("weights_sha256"));
        assertEquals(6, b.getInt("epochs"));
        assertEquals(a.getLong("steps"), b.getLong("steps"));
        assertEquals(3, a.getInt("partitions"));
        assertEquals("spark", a.getString("engine"));

        Cli changed = Cli.run(concat(common, "train", "--set", "train.epochs=8", "--set",
                "optimizer.learning-rate=0.5", "--resume", "--out", resumed.toString()));
        assertEquals(2, changed.exit());
        assertTrue(changed.err().contains("config differs"), changed.err());
    }

    @Test
    void aUserErrorIsOneLineWithExitCodeTwoAndNoOutputDirectory() {
        Path out = tmp.resolve("never");
        Cli r = Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "optimzer.name=sgd",
                "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("did you mean 'optimizer.name'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aNewRunRefusesACheckpointFolderHoldingAnotherRunsCheckpoints() {
        Path shared = tmp.resolve("shared-checkpoints");
        String[] args = {"--config", Cli.conf("default.conf"), "--set", "train.epochs=2", "--set",
            "checkpoint.dir=" + shared};
        assertEquals(0, Cli.run(concat(args, "train", "--out", tmp.resolve("a").toString())).exit());
        Cli second = Cli.run(concat(args, "train", "--out", tmp.resolve("b").toString()));
        assertEquals(2, second.exit(), second.err());
        assertTrue(second.err().contains("already holds checkpoints"), second.err());
    }

    @Test
    void aCosineRunCannotBeResumedWithMoreEpochs() {
        String[] args = {"--config", Cli.conf("default.conf"), "--set", "schedule.name=cosine"};
        Path out = tmp.resolve("cosine");
        assertEquals(0, Cli.run(concat(args, "train", "--set", "train.epochs=2", "--out", out.toString())).exit());
        Cli longer = Cli.run(concat(args, "train", "--set", "train.epochs=4", "--resume", "--out", out.toString()));
        assertEquals(2, longer.exit(), longer.err());
        assertTrue(longer.err().contains("config differs"), longer.err());
    }

    static String[] concat(String[] common, String... more) {
        String[] all = new String[common.length + more.length];
        System.arraycopy(more, 0, all, 0, 1); // the subcommand first
        System.arraycopy(common, 0, all, 1, common.length);
        System.arraycopy(more, 1, all, 1 + common.length, more.length - 1);
        return all;
    }
}
