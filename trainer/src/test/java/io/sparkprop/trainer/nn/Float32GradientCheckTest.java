// Gradient checks of the float32 path for every activation × allowed (loss, output, targets), both kernels, with
// dropout, and a broken float kernel that must be caught; the float32 loss against the float64 one.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.BlasGemm;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.GradientCheckTest.Case;
import io.sparkprop.trainer.nn.GradientCheckTest.Targets;

class Float32GradientCheckTest {
    /** GradientCheck of the float32 network: analytic gradient in float, differences of the float64 loss. */
    static double worst32(Activation act, Case c, double dropout, Gemm gemm) {
        Network net = GradientCheckTest.net(act, c, dropout).withFloat32(true);
        assertTrue(net.float32);
        Map<String, Double> errors = GradientCheck.run(net, GradientCheckTest.params(net),
                GradientCheckTest.data(c.targets(), 3), gemm);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3", "input"), List.copyOf(errors.keySet()));
        return errors.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void float32PathChecksEveryActivationWithEveryAllowedLossOutputAndTargets(Activation act) {
        for (Case c : GradientCheckTest.CASES) {
            double e = worst32(act, c, 0.0, new OjAlgoGemm());
            assertTrue(e < GradientCheck.TOLERANCE_FLOAT32, "float32 " + act + " × " + c + ": " + e);
        }
    }

    @Test
    void float32SingleSigmoidUnitForBinaryLabels() {
        for (Loss loss : List.of(Loss.SIGMOID_CROSS_ENTROPY, Loss.MSE)) {
            Network net = new Network(new int[] {GradientCheckTest.IN, 5, 1}, Activation.TANH, Output.SIGMOID, loss,
                    0.0, true, true);
            Dataset d = GradientCheckTest.data(Targets.ZERO_ONE_VALUES, 5);
            int rows = GradientCheckTest.ROWS;
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) y[i] = d.y[i * GradientCheckTest.K];
            Dataset binary = new Dataset(rows, GradientCheckTest.IN, 1, d.x, y, List.of("0", "1"));
            double e = GradientCheck.run(net, GradientCheckTest.params(net), binary, new OjAlgoGemm()).values()
                    .stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(e < GradientCheck.TOLERANCE_FLOAT32, "float32 " + loss + ": " + e);
        }
    }

    @Test
    void float32PathWithDropoutAndBlas() {
        for (Case c : GradientCheckTest.CASES) {
            double e = worst32(Activation.TANH, c, 0.3, new BlasGemm());
            assertTrue(e < GradientCheck.TOLERANCE_FLOAT32, "float32 blas dropout × " + c + ": " + e);
        }
    }

    /** A 1 % error in one value of Wᵀ·δ or of dW, in the float kernel only, must exceed the float32 tolerance. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
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
        for (Case c : GradientCheckTest.CASES) {
            double e = worst32(Activation.TANH, c, 0.0, broken);
            assertTrue(e > GradientCheck.TOLERANCE_FLOAT32, c + ": a 1% error in one float backward value must show,"
                    + " got " + e);
        }
    }

    @Test
    void float32LossMatchesFloat64LossForEveryCombination() {
        for (Case c : GradientCheckTest.CASES) {
            Network net64 = GradientCheckTest.net(Activation.RELU, c, 0.0);
            Network net32 = net64.withFloat32(true);
            assertEquals(net64.output, net32.output);
            assertEquals(net64.classifier, net32.classifier);
            double[] params = GradientCheckTest.params(net64);
            Dataset d = GradientCheckTest.data(c.targets(), 3);
            Batch b = new Batch().set(d, null, 0, d.rows);
            double l64 = Objective.loss(net64, params, b, net64.newWorkspace(new OjAlgoGemm()));
            double l32 = Objective.loss(net32, params, b, net32.newWorkspace(new OjAlgoGemm()));
            assertTrue(Math.abs(l32 - l64) < 1e-5 * Math.abs(l64), c + ": " + l32 + " vs " + l64);
            assertTrue(l32 != l64, c + ": the float32 path must not be the float64 one");
        }
    }
}
