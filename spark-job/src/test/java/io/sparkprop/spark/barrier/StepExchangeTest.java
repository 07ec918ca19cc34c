// The barrier protocol's driver side without Spark: the training loop's sums against a scripted root connection.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Momentum;
import io.sparkprop.trainer.optim.Optimizer;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Sgd;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.EpochSteps;

class StepExchangeTest {
    // W: (1 × 2) and b: (1), so P = 3; 8 rows in batches of 4: two steps per epoch.
    static final ParamLayout LAYOUT = new ParamLayout(new int[] {2, 1});
    static final BatchPlan PLAN = new BatchPlan(8, 4, 1);
    static final double[] START = {1.0, 2.0, 3.0};

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    static Updater sgd(Optimizer opt) {
        return new Updater(opt, Schedule.of(ScheduleSpec.constant(0.5), PLAN.stepsPerEpoch(), 100), LAYOUT, 0, 0);
    }

    /** S(0) in the PartialLayout: Σ gradient (3 values), Σ loss, rows (4, the batch), compute ms, Σ w (4). */
    static double[] sum(double g0, double g1, double g2, double loss) {
        return new double[] {g0, g1, g2, loss, 4, 1.0, 4};
    }

    /** The driver side of a run from START at epoch 0: the exchange and the training loop's sums over it. */
    record Run(StepExchange ex, BarrierSums sums) {
        static Run of(int metricsLength) {
            EpochStart start = new EpochStart(START);
            StepExchange ex = new StepExchange(start.theta(), 2, 0, metricsLength, false);
            return new Run(ex, new BarrierSums(ex, start, PLAN, 2));
        }

        /** One epoch on the calling thread, as the training loop runs it. */
        EpochSteps epoch(Updater u, double[] theta, int epoch) {
            return sums.epoch(u, theta, new double[3], epoch, (long) epoch * PLAN.stepsPerEpoch(), Lanes.SERIAL);
        }
    }

    /** What the root's connection is sent: θ at its join, then the answer to each sum (null: stop). */
    static List<double[]> root(StepExchange ex, int attempt, int epoch, double[]... sums) throws Exception {
        List<double[]> got = new ArrayList<>();
        StepExchange.Start start = ex.join(attempt, () -> { });
        got.add(start.theta().clone());
        ex.sent();
        for (int s = 0; s < sums.length; s++) {
            double[] theta = ex.step(attempt, epoch, s, sums[s]);
            got.add(theta == null ? null : theta.clone());
            if (theta == null) break;
            ex.sent();
        }
        return got;
    }

    @Test
    void eachStepIsUpdatedOnTheTrainingThreadAndItsThetaGoesToTheRoot() throws Exception {
        Run run = Run.of(0);
        Future<List<double[]>> root = pool.submit(() -> root(run.ex(), 0, 0, sum(4, 4, 4, 0.5), sum(0, 0, 0, 3.0)));
        double[] theta = START.clone();
        RecordingOptimizer opt = new RecordingOptimizer(new Sgd(3));
        EpochSteps done = run.epoch(sgd(opt), theta, 0);
        run.ex().end(); // one job per epoch: the tasks stop
        List<double[]> got = root.get(10, TimeUnit.SECONDS);
        assertArrayEquals(START, got.get(0), "the epoch's starting θ at the join");
        // g = (4, 4, 4) / 4 rows = (1, 1, 1); w ← w − 0.5·g
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, got.get(1));
        assertNull(got.get(2), "the last step of the run says stop");
        assertArrayEquals(new double[] {0.5, 3.0}, done.loss());
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, theta);
        assertEquals(Set.of(Thread.currentThread()), opt.threads(), "θ and the optimizer stepped on the loop's thread");
        assertEquals(2, opt.steps());
    }

    @Test
    void withInJobValidationTheTasksGetTheEpochsLastThetaAndARetryOwesItsMetricsFirst() throws Exception {
        Run run = Run.of(2);
        Future<List<double[]>> root = pool.submit(() -> root(run.ex(), 0, 0, sum(4, 4, 4, 1.0), sum(0, 0, 0, 1.0)));
        double[] theta = START.clone();
        run.epoch(sgd(new Sgd(3)), theta, 0);
        run.sums().finishEpoch(theta, true);
        Future<double[]> metrics = pool.submit(() -> run.sums().metrics(0));
        double[] end = {0.5, 1.5, 2.5};
        assertArrayEquals(end, root.get(10, TimeUnit.SECONDS).get(2), "the tasks evaluate θ after the epoch");
        assertFalse(metrics.isDone(), "no metrics yet");
        // The attempt fails before its metrics are in: the next one starts at epoch 2 and owes them first.
        run.ex().fail(0);
        StepExchange.Start retry = run.ex().join(1, () -> { });
        run.ex().sent();
        assertEquals(1, retry.epoch());
        assertTrue(retry.metricsFirst());
        assertArrayEquals(end, retry.theta());
        run.ex().metrics(1, 0, new double[] {10, 7});
        assertArrayEquals(new double[] {10, 7}, metrics.get(10, TimeUnit.SECONDS));
        assertThrows(Abandoned.class, () -> run.ex().metrics(1, 0, new double[] {1, 1}), "only once");
        assertTrue(run.sums().finishedWith(theta));
        run.ex().end();
    }

    @Test
    void theNextEpochsFirstSumWaitsForTheLoopWhichContinuesOnlyFromTheThetaItPublished() throws Exception {
        Run run = Run.of(0);
        double[] first = sum(4, 4, 4, 1.0);
        Future<List<double[]>> root = pool.submit(() -> {
            List<double[]> got = root(run.ex(), 0, 0, sum(0, 0, 0, 1.0), sum(0, 0, 0, 1.0));
            // The next epoch's first step, computed while the loop is between epochs, then its second.
            got.add(run.ex().step(0, 1, 0, first).clone());
            run.ex().sent();
            got.add(run.ex().step(0, 1, 1, sum(0, 0, 0, 1.0)));
            return got;
        });
        double[] theta = START.clone();
        Updater u = sgd(new Sgd(3));
        run.epoch(u, theta, 0);
        run.sums().finishEpoch(theta, false);
        assertTrue(run.sums().continuesWith(1, theta));
        assertFalse(run.sums().continuesWith(2, theta), "another epoch");
        assertFalse(run.sums().continuesWith(1, new double[] {1.0, 2.0, 3.5}), "another θ");
        EpochSteps second = run.epoch(u, theta, 1);
        run.ex().end();
        assertArrayEquals(new double[] {1.0, 1.0}, second.loss());
        List<double[]> got = root.get(10, TimeUnit.SECONDS);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5}, got.get(3),
                "the next epoch's first update, answered after the loop asked for its sum");
        assertNull(got.get(4));
    }

    @Test
    void aNewerAttemptStartsTheEpochAgainAndTheLoopWithItFromItsSnapshot() throws Exception {
        Run run = Run.of(0);
        double[] a = sum(4, 4, 4, 1.0);
        double[] b = sum(2, 0, 2, 1.0);
        Momentum momentum = new Momentum(3, 0.9);
        double[] theta = START.clone();
        Future<EpochSteps> loop = pool.submit(() -> {
            EpochSteps steps = run.epoch(sgd(momentum), theta, 0);
            run.ex().end();
            return steps;
        });
        // Attempt 0 gets one step done, then its connection breaks.
        double[] after;
        run.ex().join(0, () -> { });
        run.ex().sent();
        after = run.ex().step(0, 0, 0, a).clone();
        run.ex().sent();
        run.ex().fail(0);
        assertThrows(Abandoned.class, () -> run.ex().step(0, 0, 1, b));
        assertThrows(Abandoned.class, () -> run.ex().join(0, () -> { }), "a failed attempt cannot join again");
        List<double[]> retry = root(run.ex(), 1, 0, a, b);
        assertArrayEquals(START, retry.get(0), "the retry starts from the epoch's first θ");
        assertArrayEquals(after, retry.get(1), "the loop's θ and momentum went back too: the same first step");
        assertNull(retry.get(2));
        EpochSteps steps = loop.get(10, TimeUnit.SECONDS);
        assertEquals(2, steps.loss().length);
        assertEquals(2, run.ex().attempts());
        assertEquals(2, momentum.t(), "two steps counted: the first one's redo replaced it");
    }

    @Test
    void aStepOutOfTurnFailsTheAttempt() throws Exception {
        Run run = Run.of(0);
        run.ex().join(0, () -> { });
        run.ex().sent();
        assertThrows(Abandoned.class, () -> run.ex().step(0, 0, 1, sum(0, 0, 0, 1.0)));
        assertThrows(Abandoned.class, () -> run.ex().step(0, 0, 0, sum(0, 0, 0, 1.0)));
    }

    @Test
    void aSumThatCountsTheWrongRowsStopsTheLoopWithTheReason() throws Exception {
        Run run = Run.of(0);
        double[] bad = sum(0, 0, 0, 1.0);
        bad[4] = 3;
        Future<List<double[]>> root = pool.submit(() -> root(run.ex(), 0, 0, bad));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run.epoch(sgd(new Sgd(3)), START.clone(), 0));
        assertTrue(e.getMessage().contains("summed 3 rows, the batch has 4"), e.getMessage());
        run.ex().end();
        assertNull(root.get(10, TimeUnit.SECONDS).get(1));
    }

    @Test
    void aNonFiniteLossCutsTheEpochShortWithoutTouchingTheWeights() throws Exception {
        Run run = Run.of(0);
        Future<List<double[]>> root = pool.submit(() -> root(run.ex(), 0, 0, sum(1, 1, 1, Double.NaN)));
        double[] theta = START.clone();
        EpochSteps e = run.epoch(sgd(new Sgd(3)), theta, 0);
        run.ex().end();
        assertEquals(1, e.loss().length);
        assertArrayEquals(START, theta);
        assertNull(root.get(10, TimeUnit.SECONDS).get(1));
    }

    @Test
    void aJobThatGivesUpIsRethrownOnTheLoopsThreadAndRestoreGoesBackToTheEpochsStart() throws Exception {
        Run run = Run.of(0);
        Momentum momentum = new Momentum(3, 0.9);
        Updater u = sgd(momentum);
        double[] theta = START.clone();
        Future<EpochSteps> loop = pool.submit(() -> run.epoch(u, theta, 0));
        run.ex().join(0, () -> { });
        run.ex().sent();
        run.ex().step(0, 0, 0, sum(4, 4, 4, 1.0));
        run.ex().sent();
        RuntimeException cause = new IllegalStateException("the job gave up");
        run.ex().jobFailed(cause);
        ExecutionException e = assertThrows(ExecutionException.class, () -> loop.get(10, TimeUnit.SECONDS));
        assertSame(cause, e.getCause());
        assertEquals(1, momentum.t(), "stepped once before the failure");
        run.sums().restore(theta, u);
        assertArrayEquals(START, theta);
        assertEquals(0, momentum.t());
    }
}
