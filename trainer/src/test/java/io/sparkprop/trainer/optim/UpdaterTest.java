// The driver's per-step pipeline: averaging, L2 decay on weights only, clipping, schedule, and no allocation.
package io.sparkprop.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.ParamLayout;

class UpdaterTest {

    private static final double TOL = 1e-12;
    /** {1 → 1}: index 0 = W1, index 1 = b1. */
    private static final ParamLayout TINY = new ParamLayout(new int[] {1, 1});
    /** {2 → 1}: indices 0, 1 = W1, index 2 = b1. */
    private static final ParamLayout TWO_IN = new ParamLayout(new int[] {2, 1});

    private static Updater sgd(ParamLayout layout, double lr, double wd, double clip) {
        return new Updater(new Sgd(layout.size()), Schedule.of(ScheduleSpec.constant(lr), 1, 100), layout, wd, clip);
    }

    @Test
    void averagesOverTheGlobalBatch() {
        Updater u = sgd(TINY, 1.0, 0, 0);
        double[] w = {1, 1};
        double[] gradSum = {4, 8};
        double norm = u.apply(w, gradSum, 4, 0, Lanes.SERIAL);
        assertEquals(Math.sqrt(5), norm, TOL); // mean (1, 2)
        assertArrayEquals(new double[] {1, 2}, gradSum, TOL); // overwritten with the final gradient
        assertArrayEquals(new double[] {0, -1}, w, TOL);
    }

    @Test
    void weightDecaySkipsBiases() {
        Updater u = sgd(TWO_IN, 1.0, 0.5, 0);
        double[] w = {2, -4, 6};
        double norm = u.apply(w, new double[3], 1, 0, Lanes.SERIAL);
        // g = λ·w on weights = (1, −2), 0 on the bias
        assertEquals(Math.sqrt(5), norm, TOL);
        assertArrayEquals(new double[] {1, -2, 6}, w, TOL);
    }

    @Test
    void weightDecayIsAddedAfterAveraging() {
        Updater u = sgd(TWO_IN, 0.1, 0.01, 0);
        double[] w = {1, 2, 3};
        u.apply(w, new double[] {2, 2, 2}, 2, 0, Lanes.SERIAL);
        // g = (1 + 0.01, 1 + 0.02, 1)
        assertArrayEquals(new double[] {1 - 0.1 * 1.01, 2 - 0.1 * 1.02, 3 - 0.1}, w, TOL);
    }

    @Test
    void clipsToGlobalNorm() {
        Updater u = sgd(TINY, 1.0, 0, 1.0);
        double[] w = {0, 0};
        double norm = u.apply(w, new double[] {3, 4}, 1, 0, Lanes.SERIAL);
        assertEquals(5.0, norm, TOL); // pre-clip
        assertArrayEquals(new double[] {-0.6, -0.8}, w, TOL);
    }

    @Test
    void doesNotClipBelowTheNorm() {
        Updater u = sgd(TINY, 1.0, 0, 10.0);
        double[] w = {0, 0};
        assertEquals(5.0, u.apply(w, new double[] {3, 4}, 1, 0, Lanes.SERIAL), TOL);
        assertArrayEquals(new double[] {-3, -4}, w, TOL);
    }

    @Test
    void clippingIncludesTheDecayTerm() {
        Updater u = sgd(TINY, 1.0, 1.0, 1.0);
        double[] w = {4, 0};
        double norm = u.apply(w, new double[] {0, 3}, 1, 0, Lanes.SERIAL); // g = (0 + 1·4, 3): ‖g‖ = 5
        assertEquals(5.0, norm, TOL);
        assertArrayEquals(new double[] {4 - 0.8, -0.6}, w, TOL);
    }

    @Test
    void usesTheScheduleAtTheGlobalStep() {
        Schedule sched = Schedule.of(new ScheduleSpec(ScheduleKind.STEP, 1.0, 0, 0.5, 1, 0), 2, 100);
        Updater u = new Updater(new Sgd(2), sched, TINY, 0, 0);
        assertEquals(1.0, u.currentLr(1));
        assertEquals(0.5, u.currentLr(2));
        double[] w = {0, 0};
        u.apply(w, new double[] {1, 1}, 1, 2, Lanes.SERIAL);
        assertArrayEquals(new double[] {-0.5, -0.5}, w, TOL);
    }

    @Test
    void adamwGetsNoL2Term() {
        double wd = 0.1;
        Schedule sched = Schedule.of(ScheduleSpec.constant(0.01), 1, 10);
        Updater u = new Updater(OptimizerKind.ADAMW.create(2, TINY, 0.9, wd), sched, TINY, wd, 0);
        Optimizer reference = OptimizerKind.ADAMW.create(2, TINY, 0.9, wd);
        double[] w = {1, 1}, ref = {1, 1};
        for (int s = 0; s < 3; s++) {
            u.apply(w, new double[] {0.4, -0.2}, 2, s, Lanes.SERIAL);
            reference.step(ref, new double[] {0.2, -0.1}, 0.01);
        }
        assertArrayEquals(ref, w, 0.0);
    }

    @Test
    void nonFiniteGradientLeavesEverythingUntouched() {
        Updater u = sgd(TINY, 1.0, 0, 1.0);
        double[] w = {1, 2};
        double norm = u.apply(w, new double[] {Double.NaN, 1}, 1, 0, Lanes.SERIAL);
        assertTrue(Double.isNaN(norm));
        assertArrayEquals(new double[] {1, 2}, w, 0.0);
        assertEquals(0, u.optimizer().t());
        assertEquals(Double.POSITIVE_INFINITY, u.apply(w, new double[] {Double.POSITIVE_INFINITY, 1}, 1, 0, Lanes.SERIAL));
        assertArrayEquals(new double[] {1, 2}, w, 0.0);
    }

    @Test
    void rejectsBadArguments() {
        Updater u = sgd(TINY, 1.0, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> u.apply(new double[2], new double[2], 0, 0, Lanes.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> u.apply(new double[3], new double[3], 1, 0, Lanes.SERIAL));
        Schedule sched = Schedule.of(ScheduleSpec.constant(0.1), 1, 10);
        assertThrows(IllegalArgumentException.class, () -> new Updater(new Sgd(2), sched, TINY, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Updater(new Sgd(2), sched, TINY, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Updater(new Sgd(2), sched, TINY, 0, Double.NaN));
    }

    @Test
    void applyDoesNotAllocate() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            Assumptions.abort("thread allocation counter unavailable");
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        ParamLayout layout = new ParamLayout(new int[] {4, 8, 3});
        int p = layout.size();
        Schedule sched = Schedule.of(new ScheduleSpec(ScheduleKind.COSINE, 0.01, 1, 1, 1, 0), 10, 10_000);
        for (OptimizerKind name : OptimizerKind.PER_STEP) {
            Updater u = new Updater(name.create(p, layout, 0.9, 1e-3), sched, layout, 1e-3, 1.0);
            double[] w = new double[p];
            double[] g = new double[p];
            long tid = Thread.currentThread().getId();
            for (int round = 0; round < 2; round++) { // the first round warms up class loading
                long before = mx.getThreadAllocatedBytes(tid);
                for (int s = 0; s < 2_000; s++) {
                    for (int i = 0; i < p; i++) {
                        g[i] = (i % 7) - 3 + 0.001 * s;
                    }
                    u.apply(w, g, 4, s, Lanes.SERIAL);
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                if (round == 1) {
                    assertTrue(allocated < 2_000, name + " allocated " + allocated + " bytes in 2000 steps");
                }
            }
        }
    }
}
