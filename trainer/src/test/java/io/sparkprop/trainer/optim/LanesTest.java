// Cutting the update's elementwise loops into ranges (on threads) gives the same bits as one loop.
package io.sparkprop.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sparkprop.trainer.nn.ParamLayout;

class LanesTest {
    // |θ| = 300·200 + 200 + 200·7 + 7 = 61,607: four norm blocks, the last one partial.
    static final ParamLayout LAYOUT = new ParamLayout(new int[] {300, 200, 7});

    static OptimizerKind[] optimizers() {
        return OptimizerKind.PER_STEP.toArray(OptimizerKind[]::new);
    }

    /** Uneven ranges, run last first on other threads: an order no serial loop would take. */
    static Lanes uneven(ExecutorService pool) {
        return (n, body) -> {
            int[] cut = {0, n / 7, n / 7 + 1, n / 2, n};
            Future<?>[] f = new Future<?>[cut.length - 1];
            for (int k = f.length - 1; k >= 0; k--) {
                int a = cut[k];
                int b = cut[k + 1];
                f[k] = pool.submit(() -> body.run(a, b));
            }
            for (Future<?> x : f) {
                try {
                    x.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static double[] gradient(int step) {
        double[] g = new double[LAYOUT.size()];
        for (int i = 0; i < g.length; i++) g[i] = Math.pow(10, (i + step) % 13 - 6) * Math.sin(i + 0.5 * step);
        return g;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void threeStepsWithDecayAndClippingGiveTheSameBitsCutIntoRangesOnThreads(OptimizerKind name) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            double[][] theta = new double[2][];
            double[][] norms = new double[2][3];
            double[][] state = new double[2][];
            for (int k = 0; k < 2; k++) {
                Optimizer opt = name.create(LAYOUT.size(), LAYOUT, 0.9, 1e-3);
                // Clip to a norm below the gradient's, so the clipping loop runs as well.
                Updater u = new Updater(opt, Schedule.of(ScheduleSpec.constant(0.01), 10, 100), LAYOUT, 1e-3, 1.0);
                Lanes lanes = k == 0 ? Lanes.SERIAL : uneven(pool);
                theta[k] = new double[LAYOUT.size()];
                for (int i = 0; i < theta[k].length; i++) theta[k][i] = Math.cos(i);
                for (int s = 0; s < 3; s++) {
                    norms[k][s] = u.apply(theta[k], gradient(s), 7, s, lanes);
                }
                state[k] = opt.state();
            }
            assertArrayEquals(theta[0], theta[1], name + ": θ");
            assertArrayEquals(norms[0], norms[1], name + ": ‖g‖");
            assertArrayEquals(state[0], state[1], name + ": optimizer state");
            assertNotEquals(Math.cos(0), theta[0][0], "the steps moved θ");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void theBlockedNormEqualsTheDirectSumWhenTheGradientFitsOneBlock(OptimizerKind name) {
        ParamLayout small = new ParamLayout(new int[] {40, 30, 3});
        Updater u = new Updater(name.create(small.size(), small, 0.9, 0),
                Schedule.of(ScheduleSpec.constant(0.01), 10, 100), small, 0, 0);
        double[] g = new double[small.size()];
        for (int i = 0; i < g.length; i++) g[i] = Math.sin(i) * 3;
        // ‖g‖ of the mean over the 3 examples, summed straight through in index order.
        double direct = 0;
        for (int i = 0; i < g.length; i++) direct += (g[i] / 3) * (g[i] / 3);
        assertEquals(Math.sqrt(direct), u.apply(new double[small.size()], g, 3, 0, Lanes.SERIAL), 0.0);
    }
}
