// Central-difference gradient checks for every activation × loss, both kernels, and a deliberately broken backward.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.BlasGemm;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.OjAlgoGemm;

class GradientCheckTest {
    static final int IN = 4;
    static final int ROWS = 7;

    /** Random rows whose targets fit the loss: class indices, real values, or multi-label 0/1. */
    static Dataset data(Loss loss, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[ROWS * IN];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            double[] y = new double[ROWS];
            for (int i = 0; i < ROWS; i++) y[i] = r.nextInt(outputs);
            return new Dataset(ROWS, IN, 1, x, y, List.of("a", "b", "c"));
        }
        double[] y = new double[ROWS * outputs];
        for (int i = 0; i < y.length; i++) y[i] = loss == Loss.MSE ? r.nextDouble(-2, 2) : r.nextInt(2);
        return new Dataset(ROWS, IN, outputs, x, y, loss == Loss.MSE ? null : List.of("0", "1", "2"));
    }

    static double worst(Activation act, Loss loss, double dropout, Gemm gemm) {
        return worst(act, loss, dropout, gemm, false);
    }

    static double worst(Activation act, Loss loss, double dropout, Gemm gemm, boolean float32) {
        Network net = new Network(new int[] {IN, 6, 5, 3}, act, loss, dropout, float32);
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 7);
        // Non-zero biases so every bias gradient is exercised.
        for (int l = 0; l < net.depth(); l++) {
            for (int j = 0; j < net.layout().out(l); j++) params[net.layout().bOffset(l) + j] = 0.1 * (j - 1);
        }
        Map<String, Double> errors = GradientCheck.run(net, params, data(loss, 3, 3), gemm);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3", "input"), List.copyOf(errors.keySet()));
        return errors.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationWithEveryLoss(Activation act) {
        for (Loss loss : Loss.values()) {
            double e = worst(act, loss, 0.0, new OjAlgoGemm());
            assertTrue(e < 1e-6, act + " × " + loss + ": max relative error " + e);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void dropoutMasksAreFixedPerKeySoGradientsCheck(Loss loss) {
        double e = worst(Activation.TANH, loss, 0.3, new OjAlgoGemm());
        assertTrue(e < 1e-6, "dropout × " + loss + ": " + e);
    }

    @Test
    void blasKernelAgreesWithGradientCheck() {
        double e = worst(Activation.SIGMOID, Loss.SOFTMAX_CROSS_ENTROPY, 0.0, new BlasGemm());
        assertTrue(e < 1e-6, "blas: " + e);
    }

    @Test
    void aBrokenBackwardIsCaught() {
        // A kernel that gets Wᵀ·delta slightly wrong stands in for a backward-pass bug.
        Gemm good = new OjAlgoGemm();
        Gemm broken = new Gemm() {
            @Override
            public void gemm(boolean tA, boolean tB, int m, int n, int k, double[] a, int oa, double[] b, int ob,
                             double beta, double[] c, int oc) {
                good.gemm(tA, tB, m, n, k, a, oa, b, ob, beta, c, oc);
                if (tA) c[oc] *= 1.01;
            }

            @Override
            public void gemm(boolean tA, boolean tB, int m, int n, int k, float[] a, int oa, float[] b, int ob,
                             float beta, float[] c, int oc) {
                good.gemm(tA, tB, m, n, k, a, oa, b, ob, beta, c, oc);
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        double e = worst(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0, broken);
        assertTrue(e > 1e-4, "a 1% error in one backward value must show, got " + e);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void float32PathChecksEveryActivationWithEveryLoss(Activation act) {
        for (Loss loss : Loss.values()) {
            double e = worst(act, loss, 0.0, new OjAlgoGemm(), true);
            assertTrue(e < GradientCheck.TOLERANCE_FLOAT32, "float32 " + act + " × " + loss + ": " + e);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void float32PathWithDropoutAndBlas(Loss loss) {
        double e = worst(Activation.TANH, loss, 0.3, new BlasGemm(), true);
        assertTrue(e < GradientCheck.TOLERANCE_FLOAT32, "float32 blas dropout × " + loss + ": " + e);
    }

    /** A 1 % error in one value of Wᵀ·δ or of dW, in the float kernel only, must exceed the float32 tolerance. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aBrokenFloat32BackwardIsCaught(boolean breakInputGradient) {
        Gemm good = new OjAlgoGemm();
        Gemm broken = new Gemm() {
            @Override
            public void gemm(boolean tA, boolean tB, int m, int n, int k, double[] a, int oa, double[] b, int ob,
                             double beta, double[] c, int oc) {
                good.gemm(tA, tB, m, n, k, a, oa, b, ob, beta, c, oc);
            }

            @Override
            public void gemm(boolean tA, boolean tB, int m, int n, int k, float[] a, int oa, float[] b, int ob,
                             float beta, float[] c, int oc) {
                good.gemm(tA, tB, m, n, k, a, oa, b, ob, beta, c, oc);
                if (breakInputGradient ? tA : tB) c[oc + 1] *= 1.01f;
            }

            @Override
            public String name() {
                return "broken-float";
            }
        };
        double e = worst(Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0, broken, true);
        assertTrue(e > GradientCheck.TOLERANCE_FLOAT32, "a 1% error in one float backward value must show, got " + e);
    }

    @Test
    void float32LossMatchesFloat64Loss() {
        Network net64 = new Network(new int[] {IN, 6, 5, 3}, Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        Network net32 = net64.withFloat32(true);
        double[] params = new double[net64.paramCount()];
        Init.XAVIER.fill(net64.layout(), params, 7);
        Dataset d = data(Loss.SOFTMAX_CROSS_ENTROPY, 3, 3);
        Batch b = new Batch().set(d, null, 0, d.rows);
        double l64 = Objective.loss(net64, params, b, net64.newWorkspace(new OjAlgoGemm()));
        double l32 = Objective.loss(net32, params, b, net32.newWorkspace(new OjAlgoGemm()));
        assertTrue(Math.abs(l32 - l64) < 1e-5 * Math.abs(l64), l32 + " vs " + l64);
        assertTrue(l32 != l64, "the float32 path must not be the float64 one");
    }
}
