// Several targets end to end: train in-process and on Spark, evaluate per target, predict one column per target.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class MultiTargetTest {
    @TempDir
    Path tmp;

    /** x1, t1, x2, t2 with t1 = x1 + x2 and t2 = x1 − x2 (regression), or their signs as 0/1 (multi-label). */
    Path data(boolean labels) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("x1,t1,x2,t2\n");
        for (int i = 0; i < 120; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            double t1 = labels ? (a + b > 0 ? 1 : 0) : a + b;
            double t2 = labels ? (a - b > 0 ? 1 : 0) : a - b;
            sb.append(a).append(',').append(t1).append(',').append(b).append(',').append(t2).append('\n');
        }
        Path f = tmp.resolve(labels ? "labels.csv" : "values.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    static Config summary(Path out) {
        return ConfigFactory.parseFile(out.resolve("summary.json").toFile());
    }

    String[] args(Path csv, String loss, String engine, Path out) {
        return new String[] {"train", "--config", Cli.conf("default.conf"), "--set", "data.train=\"" + csv + "\"",
            "--set", "data.label-column=[t1, t2]", "--set", "model.loss=" + loss, "--set", "model.activation=tanh",
            "--set", "train.epochs=15", "--set", "train.engine=" + engine, "--set", "spark.partitions=2",
            "--set", "checkpoint.every-epochs=0", "--set", "data.validation-fraction=0", "--master", "local[2]",
            "--out", out.toString()};
    }

    @Test
    void twoRealTargetsTrainEvaluateAndPredictPerTarget() throws Exception {
        Path csv = data(false);
        Path local = tmp.resolve("local");
        Cli a = Cli.run(args(csv, "mse", "local", local));
        assertEquals(0, a.exit(), a.err());
        Config s = summary(local);
        assertTrue(s.getDouble("train_r2") > 0.9, "train_r2 " + s.getDouble("train_r2"));

        Cli eval = Cli.run("evaluate", "--model", local.resolve("model").toString(), "--data", csv.toString());
        assertEquals(0, eval.exit(), eval.err());
        Config e = ConfigFactory.parseString(eval.out());
        assertEquals(120, e.getInt("rows"));
        double r1 = e.getDouble("targets.t1.rmse");
        double r2 = e.getDouble("targets.t2.rmse");
        // The pooled rmse is the root of the mean of the per-target mean squares.
        assertEquals(e.getDouble("rmse"), Math.sqrt((r1 * r1 + r2 * r2) / 2), 1e-12);
        assertTrue(e.getDouble("targets.t1.r2") > 0.9 && e.getDouble("targets.t2.r2") > 0.9, eval.out());

        Path pred = tmp.resolve("pred.csv");
        assertEquals(0, Cli.run("predict", "--model", local.resolve("model").toString(), "--data", csv.toString(),
                "--output", pred.toString()).exit());
        List<String> lines = Files.readAllLines(pred);
        assertEquals("t1,t2", lines.get(0));
        assertEquals(121, lines.size());
        assertEquals(2, lines.get(1).split(",").length);

        // The executors parse the same targets: the Spark run trains the same model.
        Path spark = tmp.resolve("spark");
        Cli b = Cli.run(args(csv, "mse", "spark", spark));
        assertEquals(0, b.exit(), b.err());
        assertEquals(s.getDouble("train_loss"), summary(spark).getDouble("train_loss"),
                1e-9 * s.getDouble("train_loss"));
    }

    @Test
    void multiLabelTargetsPredictADecisionAndAProbabilityPerLabel() throws Exception {
        Path csv = data(true);
        Path out = tmp.resolve("ml");
        Cli a = Cli.run(args(csv, "sigmoid-cross-entropy", "local", out));
        assertEquals(0, a.exit(), a.err());
        Cli eval = Cli.run("evaluate", "--model", out.resolve("model").toString(), "--data", csv.toString());
        assertEquals(0, eval.exit(), eval.err());
        Config e = ConfigFactory.parseString(eval.out());
        double acc = (e.getDouble("targets.t1.accuracy") + e.getDouble("targets.t2.accuracy")) / 2;
        assertEquals(e.getDouble("accuracy"), acc, 1e-12, "accuracy is the mean over the labels");
        assertTrue(acc > 0.85, eval.out());
        Path pred = tmp.resolve("ml.csv");
        assertEquals(0, Cli.run("predict", "--model", out.resolve("model").toString(), "--data", csv.toString(),
                "--output", pred.toString()).exit());
        List<String> lines = Files.readAllLines(pred);
        assertEquals("t1,t2,p_t1,p_t2", lines.get(0));
        String[] first = lines.get(1).split(",");
        assertEquals(Double.parseDouble(first[2]) > 0.5 ? "1" : "0", first[0]);

        // Parsed by the executors: the same 0/1 targets, in label-column order, train the same model.
        Path spark = tmp.resolve("ml-spark");
        Cli b = Cli.run(args(csv, "sigmoid-cross-entropy", "spark", spark));
        assertEquals(0, b.exit(), b.err());
        double local = summary(out).getDouble("train_loss");
        assertEquals(local, summary(spark).getDouble("train_loss"), 1e-9 * local);
        assertEquals(summary(out).getDouble("train_accuracy"), summary(spark).getDouble("train_accuracy"), 1e-12);
    }
}
