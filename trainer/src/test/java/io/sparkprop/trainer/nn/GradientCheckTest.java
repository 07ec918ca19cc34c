// Central-difference gradient checks for every activation × allowed (loss, output, targets), both kernels, and
// self-tests: a wrong Wᵀ·δ, a wrong dW and a wrong activation derivative must each be caught (float64; the
// float32 path's checks are Float32GradientCheckTest).
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.BlasGemm;
import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.OjAlgoGemm;

class GradientCheckTest {
    static final int IN = 4;
    static final int ROWS = 7;
    static final int K = 3;

    /** How a row's targets are given: one class index, or one value per output unit. */
    enum Targets { CLASS_INDEX, REAL_VALUES, ZERO_ONE_VALUES }

    /** An allowed (loss, output, targets) combination; multi-target mse and multi-label sigmoid-CE included. */
    record Case(Loss loss, Output output, Targets targets) {
        boolean classifier() {
            return targets != Targets.REAL_VALUES;
        }
    }

    static final List<Case> CASES = List.of(
            new Case(Loss.SOFTMAX_CROSS_ENTROPY, Output.SOFTMAX, Targets.CLASS_INDEX),
            new Case(Loss.SIGMOID_CROSS_ENTROPY, Output.SIGMOID, Targets.CLASS_INDEX),
            new Case(Loss.SIGMOID_CROSS_ENTROPY, Output.SIGMOID, Targets.ZERO_ONE_VALUES),
            new Case(Loss.MSE, Output.IDENTITY, Targets.REAL_VALUES),
            new Case(Loss.MSE, Output.SIGMOID, Targets.REAL_VALUES),
            new Case(Loss.MSE, Output.SIGMOID, Targets.CLASS_INDEX),
            new Case(Loss.MSE, Output.SOFTMAX, Targets.CLASS_INDEX),
            new Case(Loss.MSE, Output.SOFTMAX, Targets.REAL_VALUES),
            new Case(Loss.MSE, Output.IDENTITY, Targets.CLASS_INDEX));

    /** Random rows with targets of the given kind for K output units. */
    static Dataset data(Targets targets, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[ROWS * IN];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble(-1, 1);
        if (targets == Targets.CLASS_INDEX) {
            double[] y = new double[ROWS];
            for (int i = 0; i < ROWS; i++) y[i] = r.nextInt(K);
            return new Dataset(ROWS, IN, 1, x, y, List.of("a", "b", "c"));
        }
        double[] y = new double[ROWS * K];
        for (int i = 0; i < y.length; i++) y[i] = targets == Targets.REAL_VALUES ? r.nextDouble(-2, 2) : r.nextInt(2);
        return new Dataset(ROWS, IN, K, x, y, targets == Targets.REAL_VALUES ? null : List.of("p", "q", "r"));
    }

    static Network net(Activation act, Case c, double dropout) {
        return new Network(new int[] {IN, 6, 5, K}, act, c.output(), c.loss(), dropout, c.classifier());
    }

    static double[] params(Network net) {
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 7);
        // Non-zero biases so every bias gradient is exercised.
        for (int l = 0; l < net.depth(); l++) {
            for (int j = 0; j < net.layout().out(l); j++) params[net.layout().bOffset(l) + j] = 0.1 * (j - 1);
        }
        return params;
    }

    static double worst(Activation act, Case c, double dropout, Gemm gemm, Elementwise hidden) {
        Network net = net(act, c, dropout);
        Map<String, Double> errors = GradientCheck.run(net, hidden == null ? act : hidden, params(net),
                data(c.targets(), 3), gemm, Integer.MAX_VALUE, 0L);
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3", "input"), List.copyOf(errors.keySet()));
        return errors.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    static double worst(Activation act, Case c, double dropout, Gemm gemm) {
        return worst(act, c, dropout, gemm, null);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationWithEveryAllowedLossOutputAndTargets(Activation act) {
        for (Case c : CASES) {
            double e = worst(act, c, 0.0, new OjAlgoGemm());
            assertTrue(e < 1e-6, act + " × " + c + ": max relative error " + e);
        }
    }

    @Test
    void nonUniformRowAndClassWeightsCheck() {
        SplittableRandom r = new SplittableRandom(11);
        for (Case c : CASES) {
            Network net = net(Activation.TANH, c, 0.0);
            Dataset d = data(c.targets(), 3);
            double[] w = new double[ROWS];
            for (int i = 0; i < ROWS; i++) w[i] = r.nextDouble(0, 3);
            Dataset weighted = d.withWeights(w);
            if (d.hasClassIndex()) {
                weighted = weighted.withClassWeights(new double[] {0.5, 2.0, 1.5});
            }
            double e = GradientCheck.run(net, params(net), weighted, new OjAlgoGemm()).values().stream()
                    .mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(e < 1e-6, "weighted " + c + ": " + e);
            // The weights must reach the gradient: the weighted and unweighted gradients differ.
            double[] g1 = new double[net.paramCount()];
            double[] g2 = new double[net.paramCount()];
            Objective.lossAndGradient(net, params(net), new Batch().set(d, null, 0, ROWS).training(true, 1),
                    net.newWorkspace(new OjAlgoGemm()), g1);
            Objective.lossAndGradient(net, params(net), new Batch().set(weighted, null, 0, ROWS).training(true, 1),
                    net.newWorkspace(new OjAlgoGemm()), g2);
            assertTrue(!java.util.Arrays.equals(g1, g2), c.toString());
        }
    }

    @Test
    void aSingleSigmoidUnitForBinaryLabelsChecks() {
        for (Loss loss : List.of(Loss.SIGMOID_CROSS_ENTROPY, Loss.MSE)) {
            Network net = new Network(new int[] {IN, 5, 1}, Activation.TANH, Output.SIGMOID, loss, 0.0, true);
            Dataset d = data(Targets.ZERO_ONE_VALUES, 5);
            double[] y = new double[ROWS];
            for (int i = 0; i < ROWS; i++) y[i] = d.y[i * K];
            Dataset binary = new Dataset(ROWS, IN, 1, d.x, y, List.of("0", "1"));
            double e = GradientCheck.run(net, params(net), binary, new OjAlgoGemm()).values().stream()
                    .mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(e < 1e-6, loss + ": " + e);
        }
    }

    @Test
    void crossEntropiesRefuseOutputsTheyAreNotTheLikelihoodOf() {
        for (Loss loss : Loss.values()) {
            for (Output out : Output.values()) {
                boolean allowed = CASES.stream().anyMatch(c -> c.loss() == loss && c.output() == out);
                if (allowed) {
                    assertNull(loss.whyNot(out), loss + " × " + out);
                    continue;
                }
                String why = loss.whyNot(out);
                assertNotNull(why, loss + " × " + out + " must be refused");
                assertTrue(!why.contains("\n") && why.contains(loss.configName), why);
                assertThrows(IllegalArgumentException.class,
                        () -> new Network(new int[] {2, 2}, Activation.SIGMOID, out, loss, 0.0, true));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void dropoutMasksAreFixedPerKeySoGradientsCheck(Loss loss) {
        for (Case c : CASES) {
            if (c.loss() == loss) {
                double e = worst(Activation.TANH, c, 0.3, new OjAlgoGemm());
                assertTrue(e < 1e-6, "dropout × " + c + ": " + e);
            }
        }
    }

    @Test
    void blasKernelAgreesWithGradientCheck() {
        double e = worst(Activation.SIGMOID, CASES.get(0), 0.0, new BlasGemm());
        assertTrue(e < 1e-6, "blas: " + e);
    }

    /** A kernel that gets one value of one kind of product 1 % wrong stands in for a backward-pass bug. */
    static Gemm brokenWhen(boolean tA, boolean tB) {
        Gemm good = new OjAlgoGemm();
        return new Gemm() {
            @Override
            public void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int oa, double[] b, int ob,
                             double beta, double[] c, int oc) {
                good.gemm(ta, tb, m, n, k, a, oa, b, ob, beta, c, oc);
                if (ta == tA && tb == tB) c[oc] *= 1.01;
            }

            @Override
            public void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int oa, float[] b, int ob,
                             float beta, float[] c, int oc) {
                good.gemm(ta, tb, m, n, k, a, oa, b, ob, beta, c, oc);
            }

            @Override
            public String name() {
                return "broken";
            }
        };
    }

    @Test
    void aWrongInputGradientIsCaught() {
        // dIn = Wᵀ·δ is the only product with a transposed left operand.
        double e = worst(Activation.TANH, CASES.get(0), 0.0, brokenWhen(true, false));
        assertTrue(e > 1e-4, "a 1% error in one Wᵀ·δ value must show, got " + e);
    }

    @Test
    void aWrongWeightGradientIsCaught() {
        // dW = δ·aᵀ is the only product with a transposed right operand.
        double e = worst(Activation.TANH, CASES.get(0), 0.0, brokenWhen(false, true));
        assertTrue(e > 1e-4, "a 1% error in one dW value must show, got " + e);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void aWrongActivationDerivativeIsCaught(Activation act) {
        // The engine's own backward pass, handed f′ that is 1 % off at one value: the first where it is not 0
        // (a relu unit that is off has f′ = 0, and 1 % of nothing would show nowhere).
        Elementwise wrong = new Elementwise() {
            @Override
            public void forward(double[] a, double[] z, int n) {
                act.forward(a, z, n);
            }

            @Override
            public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
                act.backward(dZ, dA, z, a, n);
                for (int i = 0; i < n; i++) {
                    if (dZ[i] != 0) {
                        dZ[i] *= 1.01;
                        break;
                    }
                }
            }
        };
        for (Case c : CASES) {
            double e = worst(act, c, 0.0, new OjAlgoGemm(), wrong);
            assertTrue(e > 1e-4, act + " × " + c + ": a 1% error in one derivative must show, got " + e);
        }
        assertTrue(worst(act, CASES.get(0), 0.0, new OjAlgoGemm(), act) < 1e-6, "the unmutated pair passes");
    }
}
