// The barrier protocol's driver-side rendezvous on its own: steps, epochs, metrics, retries, failures, ending.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.optim.Momentum;
import io.sparkprop.trainer.optim.Optimizer;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Sgd;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;

class StepExchangeTest {
    // W: (1 × 2) and b: (1), so P = 3; 8 rows in batches of 4: two steps per epoch.
    static final ParamLayout LAYOUT = new ParamLayout(new int[] {2, 1});
    static final BatchPlan PLAN = new BatchPlan(8, 4, 1);
    static final double[] START = {1.0, 2.0, 3.0};

    static Updater sgd(Optimizer opt) {
        return new Updater(opt, Schedule.of(ScheduleSpec.constant(0.5), PLAN.stepsPerEpoch(), 100), LAYOUT, 0, 0);
    }

    static StepExchange exchange(Optimizer opt, boolean spans, int metrics) {
        return new StepExchange(START, sgd(opt), PLAN, 2, 0, 0, spans, metrics, false);
    }

    /** S(0) in the PartialLayout: Σ gradient (3 values), Σ loss, rows (4, the batch), compute ms. */
    static double[] sum(double g0, double g1, double g2, double loss) {
        return new double[] {g0, g1, g2, loss, 4, 1.0};
    }

    @Test
    void aStepAveragesTheTreeSumStepsTheOptimizerAndHandsBackTheNewWeights() throws Exception {
        StepExchange ex = exchange(new Sgd(3), false, 0);
        assertEquals(0, ex.join(0).epoch());
        // g = (4, 4, 4) / 4 rows = (1, 1, 1); w ← w − 0.5·g
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, ex.step(0, 0, 0, sum(4, 4, 4, 0.5)).clone());
    }

    @Test
    void anEpochEndsWithItsLossesAndTheRunStopsWhenItDoesNotSpanEpochs() throws Exception {
        StepExchange ex = exchange(new Sgd(3), false, 0);
        ex.join(0);
        ex.step(0, 0, 0, sum(0, 0, 0, 2.0));
        assertNull(ex.step(0, 0, 1, sum(0, 0, 0, 3.0)), "the last step of the run says stop");
        double[] into = new double[3];
        StepExchange.Epoch e = ex.await(0, into);
        assertArrayEquals(new double[] {2.0, 3.0}, e.loss());
        assertArrayEquals(START, into);
        assertTrue(ex.ended());
    }

    @Test
    void withInJobValidationAnEpochIsDoneOnlyWhenItsMetricsArrive() throws Exception {
        StepExchange ex = exchange(new Sgd(3), true, 2);
        ex.join(0);
        ex.step(0, 0, 0, sum(0, 0, 0, 1.0));
        double[] theta = ex.step(0, 0, 1, sum(0, 0, 0, 1.0));
        assertArrayEquals(START, theta, "the tasks get θ to evaluate with");
        assertNull(ex.doneEpoch(), "no metrics yet");
        ex.metrics(0, 0, new double[] {10, 7});
        StepExchange.Epoch e = ex.await(0, new double[3]);
        assertArrayEquals(new double[] {10, 7}, e.metrics());
        assertThrows(StepExchange.Abandoned.class, () -> ex.metrics(0, 0, new double[] {1, 1}), "only once");
    }

    @Test
    void theNextEpochsFirstUpdateWaitsForTheLoopToResume() throws Exception {
        StepExchange ex = exchange(new Sgd(3), true, 0);
        ex.join(0);
        ex.step(0, 0, 0, sum(0, 0, 0, 1.0));
        ex.step(0, 0, 1, sum(0, 0, 0, 1.0));
        double[] theta = new double[3];
        ex.await(0, theta);
        CompletableFuture<double[]> next = CompletableFuture.supplyAsync(() -> call(ex, 1, 0, sum(4, 4, 4, 1.0)));
        ex.resume();
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, next.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aNewerAttemptStartsTheEpochAgainFromItsFirstStep() throws Exception {
        Momentum momentum = new Momentum(3, 0.9);
        StepExchange ex = exchange(momentum, false, 0);
        ex.join(0);
        double[] after = ex.step(0, 0, 0, sum(4, 4, 4, 1.0)).clone();
        ex.fail(0);
        assertThrows(StepExchange.Abandoned.class, () -> ex.step(0, 0, 1, sum(0, 0, 0, 1.0)));
        assertThrows(StepExchange.Abandoned.class, () -> ex.join(0), "a failed attempt cannot join again");
        assertEquals(0, ex.join(1).epoch());
        assertArrayEquals(START, ex.params(), "θ back at the start of the epoch");
        assertArrayEquals(after, ex.step(1, 0, 0, sum(4, 4, 4, 1.0)), "the optimizer state went back too");
        assertEquals(2, ex.attempts());
    }

    @Test
    void aStepOutOfTurnFailsTheAttempt() throws Exception {
        StepExchange ex = exchange(new Sgd(3), false, 0);
        ex.join(0);
        assertThrows(StepExchange.Abandoned.class, () -> ex.step(0, 0, 1, sum(0, 0, 0, 1.0)));
        assertThrows(StepExchange.Abandoned.class, () -> ex.step(0, 0, 0, sum(0, 0, 0, 1.0)));
    }

    @Test
    void aSumThatCountsTheWrongRowsEndsTheRunWithTheReason() throws Exception {
        StepExchange ex = exchange(new Sgd(3), false, 0);
        ex.join(0);
        double[] bad = sum(0, 0, 0, 1.0);
        bad[4] = 3;
        assertNull(ex.step(0, 0, 0, bad));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.await(0, new double[3]));
        assertTrue(e.getMessage().contains("summed 3 rows, the batch has 4"), e.getMessage());
    }

    @Test
    void aNonFiniteLossCutsTheEpochShortWithoutTouchingTheWeights() throws Exception {
        StepExchange ex = exchange(new Sgd(3), true, 0);
        ex.join(0);
        assertNull(ex.step(0, 0, 0, sum(1, 1, 1, Double.NaN)));
        double[] into = new double[3];
        StepExchange.Epoch e = ex.await(0, into);
        assertEquals(1, e.loss().length);
        assertArrayEquals(START, into);
    }

    static double[] call(StepExchange ex, int epoch, int step, double[] s) {
        try {
            return ex.step(0, epoch, step, s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
