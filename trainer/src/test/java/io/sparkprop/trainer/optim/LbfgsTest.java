// L-BFGS alone: it reaches known minima, keeps the Wolfe conditions, and a restored state continues bit for bit.
package io.sparkprop.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
    /** Rosenbrock's valley: minimum 0 at (1, 1), a hard case for first-order methods. */
    static final Lbfgs.Function ROSENBROCK = (x, g) -> {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    };

    /** ½ Σ i·(x_i − i)², minimum 0 at x_i = i: an ill-conditioned bowl in 20 dimensions. */
    static final Lbfgs.Function BOWL = (x, g) -> {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - i;
            f += 0.5 * (i + 1) * d * d;
            g[i] = (i + 1) * d;
        }
        return f;
    };

    static int solve(Lbfgs opt, double[] x, Lbfgs.Function fn, int maxIter) {
        for (int k = 1; k <= maxIter; k++) {
            if (opt.iterate(x, fn) != Lbfgs.Outcome.STEPPED) {
                return k;
            }
        }
        return maxIter;
    }

    @Test
    void rosenbrockReachesItsMinimum() {
        double[] x = {-1.2, 1};
        Lbfgs opt = new Lbfgs(2, 10, 1e-12);
        int iterations = solve(opt, x, ROSENBROCK, 200);
        assertEquals(1, x[0], 1e-6);
        assertEquals(1, x[1], 1e-6);
        assertTrue(iterations < 100, iterations + " iterations");
    }

    @Test
    void everyAcceptedStepLowersTheObjective() {
        double[] x = new double[20];
        Lbfgs opt = new Lbfgs(20, 5, 0);
        double last = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 40 && opt.iterate(x, BOWL) == Lbfgs.Outcome.STEPPED; k++) {
            assertTrue(opt.value() < last, "iteration " + k + ": " + opt.value() + " after " + last);
            last = opt.value();
        }
        for (int i = 0; i < x.length; i++) assertEquals(i, x[i], 1e-6);
    }

    @Test
    void aRestoredStateContinuesBitForBit() {
        double[] straight = {-1.2, 1};
        Lbfgs a = new Lbfgs(2, 3, 0);
        for (int k = 0; k < 12; k++) a.iterate(straight, ROSENBROCK);

        double[] resumed = {-1.2, 1};
        Lbfgs first = new Lbfgs(2, 3, 0);
        for (int k = 0; k < 5; k++) first.iterate(resumed, ROSENBROCK);
        Lbfgs second = new Lbfgs(2, 3, 0);
        second.setState(first.state());
        assertArrayEquals(first.state(), second.state());
        for (int k = 5; k < 12; k++) second.iterate(resumed, ROSENBROCK);
        assertArrayEquals(straight, resumed);
        assertArrayEquals(a.state(), second.state());
    }

    @Test
    void aStateOfTheWrongShapeIsRefused() {
        Lbfgs opt = new Lbfgs(2, 3, 0);
        double[] x = {-1.2, 1};
        for (int k = 0; k < 5; k++) opt.iterate(x, ROSENBROCK);
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(3, 3, 0).setState(opt.state()));
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(2, 1, 0).setState(opt.state()));
    }

    @Test
    void aNonFiniteStartStalls() {
        double[] x = {1};
        Lbfgs opt = new Lbfgs(1, 3, 0);
        assertEquals(Lbfgs.Outcome.STALLED, opt.iterate(x, (p, g) -> {
            g[0] = 0;
            return Double.NaN;
        }));
        assertEquals(1, x[0]);
    }
}
