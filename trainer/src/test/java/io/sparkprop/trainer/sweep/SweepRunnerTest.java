// End to end on wheat seeds with a few epochs: a rerun starts nothing, growth runs only the new trials,
// and successive halving continues only the promoted trials, from their checkpoints.
package io.sparkprop.trainer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.RunHooks;

class SweepRunnerTest {
    private static final SweepRunner.Engines LOCAL = (trial, slot) -> (RunHooks) (net, data, plan) ->
            LocalEngine.on(net, data, plan, () -> Backend.AUTO.gemm(), 1);
    private static final String GRID = "metric { name = val_accuracy }, parallelism = 2,"
            + " parameters { \"optimizer.learning-rate\" { values = [0.01, 0.03] } }";

    @TempDir
    Path out;

    @Test
    void rerunStartsNoTrialAndGrowthRunsOnlyNewOnes() throws Exception {
        Result first = run(SweepTestConfigs.seeds(GRID));
        assertEquals(2, first.started);
        assertTrue(first.records.values().stream().allMatch(r -> r.status() == TrialRecord.Status.FINISHED));
        Result again = run(SweepTestConfigs.seeds(GRID));
        assertEquals(0, again.started, "a complete sweep run again starts nothing");
        Result grown = run(SweepTestConfigs.seeds(GRID.replace("[0.01, 0.03]", "[0.01, 0.03, 0.1]")));
        assertEquals(1, grown.started, "only the added grid value trains");
        Leaderboard board = new Leaderboard(grown.spec, grown.trials, grown.records);
        board.write(out);
        assertTrue(Files.exists(out.resolve("best.conf")));
        assertTrue(Files.isDirectory(out.resolve("best-model")));
        assertEquals(4, Files.readAllLines(out.resolve("leaderboard.csv")).size());
    }

    @Test
    void interruptedTrialResumesFromItsCheckpoint() throws Exception {
        run(SweepTestConfigs.seeds(GRID));
        // Simulate a crash after the first trial's start: drop its rung and finished events.
        Path log = out.resolve("trials.jsonl");
        Config c = SweepTestConfigs.seeds(GRID);
        String id = Trials.plan(c, SweepSpec.from(c)).get(0).id();
        List<String> kept = Files.readAllLines(log).stream().filter(l -> !(l.contains("\"trial\":\"" + id + "\"")
                && (l.contains("\"event\":\"rung\"") || l.contains("\"event\":\"finished\"")))).toList();
        Files.write(log, kept);
        Result r = run(c);
        assertEquals(1, r.started);
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains("\"event\":\"started\"")
                && l.contains(id) && l.contains("\"from_epoch\":6")), "resumed at its last checkpoint");
        Config summary = ConfigFactory.parseFile(out.resolve("trials").resolve(id).resolve("summary.json").toFile());
        assertEquals(6, summary.getInt("resumed_from_epoch"), "the trial's own run resumed, not retrained");
        assertEquals(TrialRecord.Status.FINISHED, r.records.get(id).status());
    }

    @Test
    void successiveHalvingContinuesOnlyTheBestFromTheirCheckpoints() throws Exception {
        Config c = SweepTestConfigs.seeds("metric { name = val_accuracy }, parameters {"
                + " \"optimizer.learning-rate\" { values = [0.0001, 0.001, 0.01, 0.1] } },"
                + " early-terminate { type = successive-halving, min-epochs = 2, eta = 2 }");
        Result r = run(c);
        // Rungs 2, 4, 6: four trials train 2 epochs, two go on to 4, one to 6.
        long finished = r.records.values().stream().filter(x -> x.status() == TrialRecord.Status.FINISHED).count();
        long pruned = r.records.values().stream().filter(x -> x.status() == TrialRecord.Status.PRUNED).count();
        assertEquals(1, finished);
        assertEquals(3, pruned);
        assertEquals(4 + 2 + 1, r.started, "one segment per trial per rung it reached");
        // The promoted ones are the best at rung 2 (ties to the earlier trial).
        List<Trial> rung2 = r.trials;
        List<Trial> expected = SuccessiveHalving.promote(rung2, t -> r.records.get(t.id()).rungMetric(2),
                r.spec.metric, 2);
        for (Trial t : r.trials) {
            assertEquals(expected.contains(t), r.records.get(t.id()).hasRung(4), t.describe());
        }
        String log = Files.readString(out.resolve("trials.jsonl"));
        for (Trial t : expected) {
            assertTrue(log.contains("\"trial\":\"" + t.id() + "\",\"time\"") && log.matches("(?s).*\"event\":"
                    + "\"started\",\"trial\":\"" + t.id() + "\"[^\\n]*\"from_epoch\":2.*"), "continued from epoch 2");
        }
        assertEquals(0, run(c).started, "a rerun of a finished halving sweep starts nothing");
    }

    @Test
    void aTrialRefusedAsAUserErrorFailsWithOneLineInItsLog() throws Exception {
        Result r = run(SweepTestConfigs.seeds("metric { name = val_accuracy },"
                + " parameters { \"model.hidden\" { values = [[200000, 200000]] } }"));
        TrialRecord record = r.records.values().iterator().next();
        assertEquals(TrialRecord.Status.FAILED, record.status());
        List<String> log = Files.readAllLines(out.resolve("logs").resolve(r.trials.get(0).id() + ".log"));
        List<String> errors = log.stream().filter(l -> l.contains("model.hidden")).toList();
        assertEquals(List.of("sparkprop: model.hidden: the network [7, 200000, 200000, 3] has 40,002,400,003"
                + " parameters, more than the 2,147,483,631 one parameter array can hold"), errors);
        assertTrue(log.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + log);
    }

    private record Result(int started, Map<String, TrialRecord> records, SweepSpec spec, List<Trial> trials) {
    }

    private Result run(Config c) throws Exception {
        SweepSpec spec = SweepSpec.from(c);
        List<Trial> trials = Trials.plan(c, spec);
        SweepRunner runner = new SweepRunner(out, spec, trials, LOCAL,
                new PrintStream(new ByteArrayOutputStream()), false);
        Map<String, TrialRecord> records = runner.run();
        return new Result(runner.started(), records, spec, trials);
    }
}
