// Each optimizer against hand-computed steps, plus the factory's names and hyperparameter checks.
package io.sparkprop.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.ParamLayout;

class OptimizersTest {

    private static final double TOL = 1e-12;
    private static final double LR = 0.1;
    private static final double[] G1 = {0.5, -1.0};
    private static final double[] G2 = {0.25, 0.5};
    private static final double[] G3 = {0.0, 0.0};

    private static double[] w0() {
        return new double[] {1.0, -2.0};
    }

    @Test
    void sgd() {
        Optimizer opt = new Sgd(2);
        double[] w = w0();
        opt.step(w, G1, LR);
        assertArrayEquals(new double[] {0.95, -1.9}, w, TOL);
        opt.step(w, G2, LR);
        assertArrayEquals(new double[] {0.925, -1.95}, w, TOL);
        assertEquals(2, opt.t());
        assertArrayEquals(new double[] {2}, opt.state());
    }

    @Test
    void momentumPyTorchForm() {
        Optimizer opt = new Momentum(2, 0.9);
        double[] w = w0();
        opt.step(w, G1, LR); // v = (0.5, -1)
        assertArrayEquals(new double[] {0.95, -1.9}, w, TOL);
        opt.step(w, G2, LR); // v = 0.9·(0.5, -1) + (0.25, 0.5) = (0.7, -0.4)
        assertArrayEquals(new double[] {0.88, -1.86}, w, TOL);
        opt.step(w, G3, LR); // v = (0.63, -0.36)
        assertArrayEquals(new double[] {0.817, -1.824}, w, TOL);
        double[] s = opt.state();
        assertArrayEquals(new double[] {3, 0.63, -0.36}, s, TOL);
    }

    @Test
    void nesterov() {
        Optimizer opt = new Nesterov(2, 0.9);
        double[] w = w0();
        opt.step(w, G1, LR); // v = (0.5, -1); g + μv = (0.95, -1.9)
        assertArrayEquals(new double[] {0.905, -1.81}, w, TOL);
        opt.step(w, G2, LR); // v = (0.7, -0.4); g + μv = (0.88, 0.14)
        assertArrayEquals(new double[] {0.817, -1.824}, w, TOL);
        opt.step(w, G3, LR); // v = (0.63, -0.36); g + μv = (0.567, -0.324)
        assertArrayEquals(new double[] {0.7603, -1.7916}, w, TOL);
    }

    @Test
    void adagrad() {
        double eps = 1e-8;
        Optimizer opt = new Adagrad(2);
        double[] w = w0();
        opt.step(w, G1, LR); // G = (0.25, 1)
        double[] e = {1.0 - LR * 0.5 / (0.5 + eps), -2.0 + LR * 1.0 / (1.0 + eps)};
        assertArrayEquals(e, w, TOL);
        assertArrayEquals(new double[] {0.9, -1.9}, w, 1e-8); // ≈ lr·sign(g) on the first step
        opt.step(w, G2, LR); // G = (0.3125, 1.25)
        e[0] -= LR * 0.25 / (Math.sqrt(0.3125) + eps);
        e[1] -= LR * 0.5 / (Math.sqrt(1.25) + eps);
        assertArrayEquals(e, w, TOL);
        assertArrayEquals(new double[] {2, 0.3125, 1.25}, opt.state(), TOL);
    }

    @Test
    void rmsprop() {
        double eps = 1e-8;
        Optimizer opt = new RmsProp(2);
        double[] w = w0();
        opt.step(w, G1, LR); // v = 0.1·g² = (0.025, 0.1)
        double[] e = {1.0 - LR * 0.5 / (Math.sqrt(0.025) + eps), -2.0 + LR * 1.0 / (Math.sqrt(0.1) + eps)};
        assertArrayEquals(e, w, TOL);
        opt.step(w, G2, LR); // v = 0.9·v + 0.1·g² = (0.02875, 0.115)
        e[0] -= LR * 0.25 / (Math.sqrt(0.02875) + eps);
        e[1] -= LR * 0.5 / (Math.sqrt(0.115) + eps);
        assertArrayEquals(e, w, TOL);
        assertArrayEquals(new double[] {2, 0.02875, 0.115}, opt.state(), TOL);
    }

    /** Adam by the paper's Algorithm 1, one scalar at a time, for steps g1, g2, g3. */
    private static double[] adamByHand(double[] w, double[][] gs, double lr, double wd, boolean[] decay) {
        return adamByHand(w, gs, lr, wd, decay, 0.9);
    }

    private static double[] adamByHand(double[] w, double[][] gs, double lr, double wd, boolean[] decay, double b1) {
        double b2 = 0.999, eps = 1e-8;
        double[] out = w.clone();
        for (int i = 0; i < w.length; i++) {
            double m = 0, v = 0;
            for (int t = 1; t <= gs.length; t++) {
                double g = gs[t - 1][i];
                if (decay != null && decay[i]) {
                    out[i] -= lr * wd * out[i];
                }
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                out[i] -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
            }
        }
        return out;
    }

    @Test
    void adam() {
        Optimizer opt = new Adam(2);
        double[] w = w0();
        opt.step(w, G1, LR);
        // first bias-corrected step: m̂ = g, v̂ = g², so Δw = −lr·g/(|g| + ε) ≈ −lr·sign(g)
        assertArrayEquals(new double[] {1.0 - LR * 0.5 / (0.5 + 1e-8), -2.0 + LR * 1.0 / (1.0 + 1e-8)}, w, TOL);
        opt.step(w, G2, LR);
        opt.step(w, G3, LR);
        assertArrayEquals(adamByHand(w0(), new double[][] {G1, G2, G3}, LR, 0, null), w, TOL);
        // m after 3 steps: 0.1·(0.81·g1 + 0.9·g2 + g3)
        double[] s = opt.state();
        assertEquals(3, s[0]);
        assertEquals(0.1 * (0.81 * 0.5 + 0.9 * 0.25), s[1], TOL);
        assertEquals(0.001 * (0.999 * 0.999 * 1.0 + 0.999 * 0.25), s[4], TOL);
    }

    @Test
    void adamwDecaysWeightsOnlyAndDecoupled() {
        ParamLayout layout = new ParamLayout(new int[] {1, 1}); // index 0 = W1, index 1 = b1
        double wd = 0.5;
        Optimizer opt = OptimizerKind.ADAMW.create(2, layout, 0.9, wd);
        assertTrue(opt.decouplesWeightDecay());
        double[] w = w0();
        opt.step(w, G1, LR);
        // W: w ← w − lr·λ·w = 1 − 0.05 = 0.95, then the Adam step; b: Adam step only
        assertArrayEquals(new double[] {0.95 - LR * 0.5 / (0.5 + 1e-8), -2.0 + LR * 1.0 / (1.0 + 1e-8)}, w, TOL);
        opt.step(w, G2, LR);
        opt.step(w, G3, LR);
        assertArrayEquals(adamByHand(w0(), new double[][] {G1, G2, G3}, LR, wd, new boolean[] {true, false}), w, TOL);
    }

    @Test
    void adamwWithoutDecayIsAdam() {
        Optimizer a = new Adam(2);
        Optimizer b = OptimizerKind.ADAMW.create(2, new ParamLayout(new int[] {1, 1}), 0.9, 0.0);
        double[] wa = w0(), wb = w0();
        for (double[] g : new double[][] {G1, G2, G3}) {
            a.step(wa, g, LR);
            b.step(wb, g, LR);
        }
        assertArrayEquals(wa, wb, 0.0);
        assertArrayEquals(a.state(), b.state(), 0.0);
    }

    /** optimizer.momentum is Adam's and AdamW's β₁; its default 0.9 gives Adam's own default. */
    @Test
    void adamTakesBeta1FromMomentum() {
        ParamLayout layout = new ParamLayout(new int[] {1, 1});
        double[][] gs = {G1, G2, G3};
        for (double b1 : new double[] {0.0, 0.5}) {
            Optimizer adam = OptimizerKind.ADAM.create(2, null, b1, 0);
            Optimizer adamw = OptimizerKind.ADAMW.create(2, layout, b1, 0.5);
            double[] wa = w0(), ww = w0();
            for (double[] g : gs) {
                adam.step(wa, g, LR);
                adamw.step(ww, g, LR);
            }
            assertArrayEquals(adamByHand(w0(), gs, LR, 0, null, b1), wa, TOL, "adam, β₁ = " + b1);
            assertArrayEquals(adamByHand(w0(), gs, LR, 0.5, new boolean[] {true, false}, b1), ww, TOL,
                    "adamw, β₁ = " + b1);
        }
        double momentum = TrainConfig.defaults().momentum();
        assertEquals(Adam.BETA1, momentum);
        Optimizer byDefault = OptimizerKind.ADAM.create(2, null, momentum, 0);
        Optimizer adam = new Adam(2);
        double[] wd = w0(), wa = w0();
        for (double[] g : gs) {
            byDefault.step(wd, g, LR);
            adam.step(wa, g, LR);
        }
        assertArrayEquals(wa, wd, 0.0);
        assertArrayEquals(adam.state(), byDefault.state(), 0.0);
    }

    @Test
    void weightMaskFollowsLayout() {
        ParamLayout layout = new ParamLayout(new int[] {2, 3, 1});
        boolean[] mask = layout.weightMask();
        assertEquals(layout.size(), mask.length);
        for (int i = 0; i < mask.length; i++) {
            assertEquals(layout.isWeight(i), mask[i], "index " + i);
        }
    }

    @Test
    void everyKindBuildsTheOptimizerItNames() {
        ParamLayout layout = new ParamLayout(new int[] {2, 3, 1});
        for (OptimizerKind kind : OptimizerKind.PER_STEP) {
            Optimizer opt = kind.create(layout.size(), layout, 0.9, 1e-4);
            assertEquals(kind.id(), opt.name());
            assertEquals(kind == OptimizerKind.ADAMW, opt.decouplesWeightDecay());
        }
        assertEquals(List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"),
                OptimizerKind.PER_STEP_IDS);
        assertEquals(List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "lbfgs"),
                OptimizerKind.IDS);
        assertThrows(IllegalStateException.class, () -> OptimizerKind.LBFGS.create(layout.size(), layout, 0.9, 0));
    }

    @Test
    void invalidHyperparametersAreRejected() {
        ParamLayout layout = new ParamLayout(new int[] {1, 1});
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.MOMENTUM.create(2, null, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.NESTEROV.create(2, null, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.MOMENTUM.create(2, null, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.ADAMW.create(2, layout, 0.9, -1e-4));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.ADAMW.create(2, null, 0.9, 1e-4));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.SGD.create(3, layout, 0.9, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.9, 1.0, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.9, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(2, 1.5, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(2, -1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
    }

    @Test
    void stepRejectsBadArguments() {
        Optimizer opt = new Sgd(2);
        assertThrows(IllegalArgumentException.class, () -> opt.step(new double[3], new double[2], 0.1));
        assertThrows(IllegalArgumentException.class, () -> opt.step(new double[2], new double[2], -0.1));
        assertThrows(IllegalArgumentException.class, () -> opt.step(new double[2], new double[2], Double.NaN));
        assertEquals(0, opt.t());
        assertFalse(opt.decouplesWeightDecay());
    }
}
