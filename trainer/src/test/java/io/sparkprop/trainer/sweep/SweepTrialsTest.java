// Grid expansion order, reproducible random draws, and trial ids as hashes of the resolved config.
package io.sparkprop.trainer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;

class SweepTrialsTest {
    private static final String GRID = "metric { name = val_accuracy }, parameters {"
            + " \"train.batch-size\" { values = [16, 32] }, \"optimizer.learning-rate\" { values = [0.1, 0.01, 0.001] } }";
    private static final String RANDOM = "method = random, trials = 6, seed = %d, metric { name = val_loss },"
            + " parameters { \"optimizer.learning-rate\" { distribution = log_uniform_values, min = 1e-4, max = 1e-1 },"
            + " \"train.batch-size\" { distribution = q_uniform, min = 8, max = 64, q = 8 },"
            + " \"model.dropout\" { distribution = uniform, min = 0, max = 0.5 },"
            + " \"model.hidden\" { values = [[4], [8], [16, 8]] } }";

    @Test
    void gridIsTheProductInPathOrderLastFastest() {
        List<Trial> t = plan(SweepTestConfigs.seeds(GRID));
        assertEquals(6, t.size());
        // Paths sorted: optimizer.learning-rate (slowest), then train.batch-size (fastest).
        List<String> got = t.stream().map(Trial::describe).toList();
        assertEquals(List.of(
                "optimizer.learning-rate=0.1 train.batch-size=16", "optimizer.learning-rate=0.1 train.batch-size=32",
                "optimizer.learning-rate=0.01 train.batch-size=16", "optimizer.learning-rate=0.01 train.batch-size=32",
                "optimizer.learning-rate=0.001 train.batch-size=16",
                "optimizer.learning-rate=0.001 train.batch-size=32"), got);
        for (int i = 0; i < t.size(); i++) assertEquals(i, t.get(i).index());
        assertEquals(0.01, t.get(3).run().learningRate());
        assertEquals(32, t.get(3).run().batchSize());
    }

    @Test
    void seededRandomDrawsAreReproducibleAndInRange() {
        List<Trial> a = plan(SweepTestConfigs.seeds(RANDOM.formatted(7)));
        List<Trial> b = plan(SweepTestConfigs.seeds(RANDOM.formatted(7)));
        List<Trial> c = plan(SweepTestConfigs.seeds(RANDOM.formatted(8)));
        assertEquals(6, a.size());
        assertEquals(a.stream().map(Trial::id).toList(), b.stream().map(Trial::id).toList());
        assertNotEquals(a.stream().map(Trial::id).toList(), c.stream().map(Trial::id).toList());
        for (Trial t : a) {
            double lr = t.run().learningRate();
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            assertEquals(0, t.run().batchSize() % 8, "q_uniform step");
            assertTrue(t.run().batchSize() >= 8 && t.run().batchSize() <= 64);
            assertTrue(t.run().dropout() >= 0 && t.run().dropout() < 0.5);
        }
        // Raising trials keeps the earlier draws: the first 6 of 10 are the same trials.
        List<Trial> more = plan(SweepTestConfigs.seeds(RANDOM.formatted(7).replace("trials = 6", "trials = 10")));
        assertEquals(a.stream().map(Trial::id).toList(), more.subList(0, 6).stream().map(Trial::id).toList());
    }

    @Test
    void idIsTheHashOfTheResolvedConfig() {
        Config base = SweepTestConfigs.seeds(GRID);
        List<Trial> t = plan(base);
        assertEquals(t.size(), t.stream().map(Trial::id).distinct().count(), "different configs, different ids");
        // The same trial config written differently (key order, another sweep block) has the same id.
        Config same = SweepTestConfigs.parse("""
                sweep { metric { name = val_loss }, parameters { "model.hidden" { values = [[99]] } } }
                optimizer.learning-rate = 0.1
                train { threads = 1, batch-size = 16, epochs = 6 }
                model.hidden = [8]
                data { validation-fraction = 0.2, train = "builtin:wheat-seeds" }
                """);
        assertEquals(t.get(0).id(), Trials.id(same));
        assertEquals(12, t.get(0).id().length());
        // Adding a grid value keeps every old id.
        List<Trial> grown = plan(SweepTestConfigs.seeds(GRID.replace("[16, 32]", "[16, 32, 64]")));
        assertEquals(9, grown.size());
        assertTrue(grown.stream().map(Trial::id).toList().containsAll(t.stream().map(Trial::id).toList()));
    }

    @Test
    void duplicateValuesRunOnce() {
        List<Trial> t = plan(SweepTestConfigs.seeds("metric { name = val_accuracy },"
                + " parameters { \"train.batch-size\" { values = [16, 16, 32] } }"));
        assertEquals(2, t.size());
    }

    private static List<Trial> plan(Config c) {
        return Trials.plan(c, SweepSpec.from(c));
    }
}
