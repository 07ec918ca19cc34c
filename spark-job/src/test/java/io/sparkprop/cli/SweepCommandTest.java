// The sweep command line: an invalid spec prints one line and exits 2 before creating the output directory; local
// and Spark trials write their outputs.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    Path dir;

    @Test
    void invalidSpecIsOneLineAndExitTwo() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, """
                data.train = "builtin:wheat-seeds"
                sweep {
                  method = random, trials = 2
                  metric { name = val_accuracy }
                  parameters { "optimizer.learning-rate" { distribution = log_uniform_values, min = -1, max = 0.1 } }
                }
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"sweep", "--config", conf.toString(), "--out", dir.resolve("out").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.USER_ERROR, code, msg);
        assertEquals(1, msg.strip().lines().count(), msg);
        assertTrue(msg.contains("log_uniform_values needs min > 0"), msg);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written before the spec is valid");
    }

    @Test
    void tinySweepWritesItsOutputsAndARerunStartsNothing() throws Exception {
        Path conf = dir.resolve("tiny.conf");
        Files.writeString(conf, """
                data.train = "builtin:spirals"
                model.hidden = [16, 16]
                train { epochs = 3, threads = 1 }
                sweep {
                  metric { name = val_loss }
                  parameters { "optimizer.learning-rate" { values = [0.01, 0.03] } }
                  parallelism = 2
                }
                """);
        Path out = dir.resolve("out");
        String[] args = {"sweep", "--config", conf.toString(), "--out", out.toString()};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)), err.toString());
        for (String f : new String[] {"trials.jsonl", "leaderboard.csv", "best.conf", "best-model", "sweep.png"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        long started = Files.readAllLines(out.resolve("trials.jsonl")).stream()
                .filter(l -> l.startsWith("{\"event\":\"started\"")).count();
        assertEquals(2, started);
        assertEquals(0, Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertEquals(started, Files.readAllLines(out.resolve("trials.jsonl")).stream()
                .filter(l -> l.startsWith("{\"event\":\"started\"")).count(), "the rerun started no trial");
        // best.conf is a config `train` accepts as it is.
        Path run = dir.resolve("best-run");
        assertEquals(0, Main.run(new String[] {"train", "--config", out.resolve("best.conf").toString(), "--out",
                run.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(Files.exists(run.resolve("summary.json")));
    }

    /**
     * Spark trials side by side: each gets its engine from the shared factory with spark.protocol = auto turned
     * into driver (a barrier epoch would wait for all slots), and its summary.json has the engine's fields as
     * a train run's does, plus its scheduler pool.
     */
    @Test
    void sparkTrialsSideBySideRunTheDriverProtocolAndReportTheirEngine() throws Exception {
        Path conf = dir.resolve("spark.conf");
        Files.writeString(conf, """
                data.train = "builtin:spirals"
                model.hidden = [8]
                train { engine = spark, epochs = 2 }
                spark.partitions = 2
                sweep {
                  metric { name = val_loss }
                  parameters { "optimizer.learning-rate" { values = [0.01, 0.03] } }
                  parallelism = 2
                }
                """);
        Path out = dir.resolve("spark-out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"sweep", "--config", conf.toString(), "--out", out.toString(),
                "--master", "local[2]"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)),
                err.toString());
        List<Path> trials;
        try (var dirs = Files.list(out.resolve("trials"))) {
            trials = dirs.toList();
        }
        assertEquals(2, trials.size());
        for (Path t : trials) {
            Config s = ConfigFactory.parseFile(t.resolve("summary.json").toFile());
            assertEquals("driver", s.getString("spark_protocol"), t.toString());
            assertEquals("spark.protocol = driver", s.getString("spark_protocol_reason"));
            assertEquals(2, s.getInt("partitions"));
            assertEquals("local[2]", s.getString("spark_master"));
            assertTrue(s.getString("scheduler_pool").startsWith("sweep-"), s.getString("scheduler_pool"));
            assertEquals(0, s.getInt("failed_tasks"));
        }
    }
}
