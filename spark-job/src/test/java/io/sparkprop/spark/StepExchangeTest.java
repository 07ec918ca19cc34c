// The barrier protocol's driver-side rendezvous on its own: order of the sum, retries, failures, ending.
package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.ParamLayout;
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

    static StepExchange exchange(int partitions, Optimizer opt, boolean spans) {
        return new StepExchange(START, sgd(opt), PLAN, partitions, 2, 0, 0, spans);
    }

    /** Σ gradient (3 values), Σ loss, compute ms. */
    static double[] partial(double g0, double g1, double g2, double loss) {
        return new double[] {g0, g1, g2, loss, 1.0};
    }

    @Test
    void theLastPartitionToArriveStepsForAllAndEveryoneGetsTheNewWeights() throws Exception {
        StepExchange ex = exchange(2, new Sgd(3), false);
        ex.join(0);
        CompletableFuture<double[]> first = CompletableFuture.supplyAsync(() -> call(ex, 0, 0, 0,
                partial(1, 2, 3, 0.5)));
        double[] second = ex.exchange(0, 1, 0, 0, partial(3, 2, 1, 0.25)).clone();
        double[] fromFirst = first.get(10, TimeUnit.SECONDS).clone();
        // g = (p0 + p1) / 4 rows = (1, 1, 1); w ← w − 0.5·g
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, second);
        assertArrayEquals(second, fromFirst);
    }

    @Test
    void anEpochEndsWithItsLossesAndTheRunStopsWhenItDoesNotSpanEpochs() throws Exception {
        StepExchange ex = exchange(1, new Sgd(3), false);
        ex.join(0);
        ex.exchange(0, 0, 0, 0, partial(0, 0, 0, 2.0));
        assertNull(ex.exchange(0, 0, 0, 1, partial(0, 0, 0, 3.0)), "the last step of the run says stop");
        double[] into = new double[3];
        StepExchange.Epoch e = ex.await(0, into);
        assertArrayEquals(new double[] {2.0, 3.0}, e.loss());
        assertArrayEquals(START, into);
    }

    @Test
    void anAttemptThatFailedBeforeAnyOfItsTasksJoinedCannotBeJoined() throws Exception {
        StepExchange ex = exchange(2, new Sgd(3), false);
        ex.fail(0);
        assertThrows(StepExchange.Abandoned.class, () -> ex.join(0));
        assertEquals(0, ex.join(1));
    }

    @Test
    void aRetryStartsTheEpochInProgressAgainFromItsStart() throws Exception {
        StepExchange ex = exchange(1, new Sgd(3), false);
        ex.join(0);
        double[] moved = ex.exchange(0, 0, 0, 0, partial(4, 4, 4, 1.0)).clone();
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, moved);
        assertEquals(0, ex.join(1));
        assertArrayEquals(START, ex.params());
        assertThrows(StepExchange.Abandoned.class, () -> ex.exchange(0, 0, 0, 1, partial(0, 0, 0, 0)));
    }

    @Test
    void anErrorInTheUpdateEndsTheRunAndReachesTheTrainingLoop() throws Exception {
        Optimizer broken = new Optimizer() {
            @Override
            public void step(double[] params, double[] grad, double lr) {
                throw new IllegalStateException("optimizer broke");
            }

            @Override
            public double[] state() {
                return new double[] {0};
            }

            @Override
            public void setState(double[] state) {
            }

            @Override
            public String name() {
                return "broken";
            }

            @Override
            public long t() {
                return 0;
            }
        };
        StepExchange ex = exchange(1, broken, true);
        ex.join(0);
        assertNull(ex.exchange(0, 0, 0, 0, partial(1, 1, 1, 1.0)), "the task is told to stop");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.await(0, new double[3]));
        assertEquals("optimizer broke", e.getMessage());
    }

    @Test
    void awaitingAnEpochOfARunThatEndedFailsInsteadOfWaiting() {
        StepExchange ex = exchange(2, new Sgd(3), true);
        ex.end();
        assertThrows(IllegalStateException.class, () -> ex.await(0, new double[3]));
    }

    @Test
    void aSpanningRunPausesBetweenEpochsUntilResumed() throws Exception {
        StepExchange ex = exchange(1, new Sgd(3), true);
        ex.join(0);
        ex.exchange(0, 0, 0, 0, partial(0, 0, 0, 1.0));
        double[] afterEpoch = ex.exchange(0, 0, 0, 1, partial(4, 4, 4, 1.0)).clone();
        CompletableFuture<double[]> next = CompletableFuture.supplyAsync(() -> call(ex, 0, 1, 0,
                partial(4, 4, 4, 1.0)));
        Thread.sleep(200);
        assertEquals(false, next.isDone(), "the next epoch's first update waits for resume()");
        double[] into = new double[3];
        ex.await(0, into);
        assertArrayEquals(afterEpoch, into);
        ex.resume();
        assertArrayEquals(new double[] {0.0, 1.0, 2.0}, next.get(10, TimeUnit.SECONDS));
    }

    private static double[] call(StepExchange ex, int partition, int epoch, int step, double[] partial) {
        try {
            return ex.exchange(0, partition, epoch, step, partial);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
