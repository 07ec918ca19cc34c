// Invalid sweep specs fail with one clear line (a UserError naming the key) before anything trains.
package io.sparkprop.trainer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.UserError;

class SweepSpecTest {
    private static final String METRIC = "metric { name = val_accuracy }, ";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown config path | parameters { \"optimizer.learnig-rate\" { values = [0.1] } } | 'optimizer.learnig-rate' (did you mean 'optimizer.learning-rate'?)",
        "min > max | method = random, trials = 3, parameters { \"optimizer.learning-rate\" { distribution = uniform, min = 0.5, max = 0.1 } } | min (0.5) is greater than max (0.1)",
        "empty values | parameters { \"model.hidden\" { values = [] } } | values: empty list",
        "log range min <= 0 | method = random, trials = 3, parameters { \"optimizer.learning-rate\" { distribution = log_uniform_values, min = 0, max = 0.1 } } | needs min > 0",
        "unknown method | method = bayes, parameters { \"model.hidden\" { values = [[4]] } } | sweep.method: unknown 'bayes'",
        "unknown distribution | method = random, trials = 3, parameters { \"optimizer.learning-rate\" { distribution = normal, min = 0, max = 1 } } | distribution: unknown 'normal'",
        "grid with a distribution | parameters { \"optimizer.learning-rate\" { distribution = uniform, min = 0.1, max = 0.2 } } | method = grid needs values",
        "unknown sweep key | paralelism = 2, parameters { \"model.hidden\" { values = [[4]] } } | 'sweep.paralelism' (did you mean 'sweep.parallelism'?)",
        "random without trials | method = random, parameters { \"model.hidden\" { values = [[4]] } } | sweep.trials",
        "no parameters | parameters { } | sweep.parameters: expected at least one",
        "bad value in a list | parameters { \"optimizer.learning-rate\" { values = [0.1, -1] } } | optimizer.learning-rate",
    })
    void invalidSpecFailsWithOneLine(String what, String sweep, String expected) {
        UserError e = assertThrows(UserError.class, () -> plan(METRIC + sweep), what);
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), what + ": more than one line");
    }

    @Test
    void metricNeedsItsSplit() {
        UserError e = assertThrows(UserError.class, () -> Trials.plan(SweepTestConfigs.parse(
                "data.validation-fraction = 0, sweep { metric { name = val_accuracy }, parameters {"
                        + " \"model.hidden\" { values = [[4]] } } }"),
                SweepSpec.from(SweepTestConfigs.parse("data.validation-fraction = 0, sweep { metric { name ="
                        + " val_accuracy }, parameters { \"model.hidden\" { values = [[4]] } } }"))));
        assertTrue(e.getMessage().contains("validation-fraction"), e.getMessage());
    }

    @Test
    void nestedAndQuotedParameterNamesAreTheSamePath() {
        SweepSpec s = SweepSpec.from(SweepTestConfigs.seeds(METRIC
                + "parameters { optimizer { learning-rate { values = [0.1] } }, \"model.hidden\" { values = [[4]] } }"));
        assertEquals("model.hidden", s.parameters.get(0).path);
        assertEquals("optimizer.learning-rate", s.parameters.get(1).path);
        assertEquals(SweepSpec.Method.GRID, s.method);
        assertNotNull(s.metric);
        assertTrue(s.metric.maximize());
    }

    @Test
    void successiveHalvingNeedsFewerMinEpochsThanTheBudget() {
        UserError e = assertThrows(UserError.class, () -> plan(METRIC
                + "parameters { \"model.hidden\" { values = [[4]] } }, "
                + "early-terminate { type = successive-halving, min-epochs = 6, eta = 2 }"));
        assertTrue(e.getMessage().contains("min-epochs"), e.getMessage());
    }

    private static void plan(String sweep) {
        var c = SweepTestConfigs.seeds(sweep);
        Trials.plan(c, SweepSpec.from(c));
    }
}
