// The engine against numbers worked out by hand for a 2-2-2 tanh/softmax network: forward, gradient, one Adam step.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Workspace;
import io.sparkprop.trainer.optim.Optimizer;
import io.sparkprop.trainer.optim.OptimizerKind;

/**
 * Nothing here calls the engine to get an expected value: each one is scalar arithmetic on the numbers before it,
 * written out the way one would on paper, and the key results are also given as decimals (from the same
 * arithmetic in float64 outside the project).
 *
 * <pre>
 *   W1 = | 0.1  0.2 |  b1 = |  0.1 |    W2 = | 0.5   -0.5  |  b2 = | 0.0 |
 *        | 0.3  0.4 |       | -0.1 |         | 0.25   0.75 |       | 0.2 |
 *   row A: x = (1, 2),    class 0        row B: x = (0.5, −1), class 1
 *   z1 = W1·x + b1, h = tanh(z1), z2 = W2·h + b2, p = softmax(z2), loss = −ln p[y]
 * </pre>
 * The flat parameter vector is W1 column-major, b1, W2 column-major, b2 (ParamLayout).
 */
class HandComputedReferenceTest {
    static final double[] THETA = {0.1, 0.3, 0.2, 0.4, 0.1, -0.1, 0.5, 0.25, -0.5, 0.75, 0.0, 0.2};
    static final double TOL = 1e-12;

    static final Network NET = new Network(new int[] {2, 2, 2}, Activation.parse("tanh"),
            Loss.parse("softmax-cross-entropy"), 0.0);
    static final Dataset DATA = new Dataset(2, 2, 1, new double[] {1, 2, 0.5, -1}, new double[] {0, 1},
            List.of("a", "b"));

    /** Row A, forward, by hand. */
    static final double A_Z10 = 0.1 * 1 + 0.2 * 2 + 0.1;                  // 0.6
    static final double A_Z11 = 0.3 * 1 + 0.4 * 2 - 0.1;                  // 1.0
    static final double A_H0 = Math.tanh(A_Z10);                           // 0.5370495669980353
    static final double A_H1 = Math.tanh(A_Z11);                           // 0.7615941559557649
    static final double A_Z20 = 0.5 * A_H0 - 0.5 * A_H1 + 0.0;             // −0.1122722944788648
    static final double A_Z21 = 0.25 * A_H0 + 0.75 * A_H1 + 0.2;           // 0.9054580087163324
    static final double A_P0 = 1 / (1 + Math.exp(A_Z21 - A_Z20));          // 0.2654697456767505
    static final double A_P1 = 1 - A_P0;                                   // 0.7345302543232494
    static final double A_LOSS = -Math.log(A_P0);                          // 1.3262543970464886

    /** Row B, forward, by hand. */
    static final double B_Z10 = 0.1 * 0.5 + 0.2 * -1 + 0.1;               // −0.05
    static final double B_Z11 = 0.3 * 0.5 + 0.4 * -1 - 0.1;               // −0.35
    static final double B_H0 = Math.tanh(B_Z10);                           // −0.04995837495787999
    static final double B_H1 = Math.tanh(B_Z11);                           // −0.3363755443363322
    static final double B_Z20 = 0.5 * B_H0 - 0.5 * B_H1 + 0.0;             // 0.1432085846892261
    static final double B_Z21 = 0.25 * B_H0 + 0.75 * B_H1 + 0.2;           // −0.0647712519917191
    static final double B_P0 = 1 / (1 + Math.exp(B_Z21 - B_Z20));          // 0.5518083435290705
    static final double B_P1 = 1 - B_P0;                                   // 0.4481916564709295
    static final double B_LOSS = -Math.log(B_P1);                          // 0.8025343334268490

    /**
     * Backward, by hand, per row: δ2 = p − onehot(y); dW2 = δ2·hᵀ; db2 = δ2; dh = W2ᵀ·δ2;
     * δ1 = dh ⊙ (1 − h²); dW1 = δ1·xᵀ; db1 = δ1. The batch gradient is the sum over the rows.
     */
    static double[] handGradient() {
        double[] g = new double[12];
        addRow(g, 1, 2, 0, A_H0, A_H1, A_P0, A_P1);
        addRow(g, 0.5, -1, 1, B_H0, B_H1, B_P0, B_P1);
        return g;
    }

    static void addRow(double[] g, double x0, double x1, int y, double h0, double h1, double p0, double p1) {
        double d20 = p0 - (y == 0 ? 1 : 0);
        double d21 = p1 - (y == 1 ? 1 : 0);
        double dh0 = 0.5 * d20 + 0.25 * d21;        // column 0 of W2 is (0.5, 0.25)
        double dh1 = -0.5 * d20 + 0.75 * d21;       // column 1 of W2 is (−0.5, 0.75)
        double d10 = dh0 * (1 - h0 * h0);           // tanh′(z) = 1 − tanh²(z)
        double d11 = dh1 * (1 - h1 * h1);
        g[0] += d10 * x0;   // dW1[0][0]
        g[1] += d11 * x0;   // dW1[1][0]
        g[2] += d10 * x1;   // dW1[0][1]
        g[3] += d11 * x1;   // dW1[1][1]
        g[4] += d10;        // db1[0]
        g[5] += d11;        // db1[1]
        g[6] += d20 * h0;   // dW2[0][0]
        g[7] += d21 * h0;   // dW2[1][0]
        g[8] += d20 * h1;   // dW2[0][1]
        g[9] += d21 * h1;   // dW2[1][1]
        g[10] += d20;       // db2[0]
        g[11] += d21;       // db2[1]
    }

    static Workspace workspace(Backend backend) {
        return NET.newWorkspace(backend.gemm());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"OJALGO", "BLAS"})
    void forwardPassMatchesTheHandArithmetic(Backend backend) {
        Workspace ws = workspace(backend);
        double loss = Objective.loss(NET, THETA.clone(), new Batch().set(DATA, null, 0, 2), ws);
        assertEquals(A_LOSS + B_LOSS, loss, TOL);
        assertEquals(2.1287887304733375, loss, TOL);
        // Predictions are classes × rows, column-major: (p_A0, p_A1, p_B0, p_B1).
        assertArrayEquals(new double[] {A_P0, A_P1, B_P0, B_P1}, java.util.Arrays.copyOf(ws.predictions(2), 4), TOL);
        assertArrayEquals(new double[] {0.2654697456767505, 0.7345302543232494, 0.5518083435290705,
            0.4481916564709295}, java.util.Arrays.copyOf(ws.predictions(2), 4), TOL);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"OJALGO", "BLAS"})
    void gradientMatchesTheHandArithmetic(Backend backend) {
        double[] grad = new double[NET.paramCount()];
        double loss = Objective.lossAndGradient(NET, THETA.clone(), new Batch().set(DATA, null, 0, 2),
                workspace(backend), grad);
        assertEquals(A_LOSS + B_LOSS, loss, TOL);
        assertArrayEquals(handGradient(), grad, TOL);
        assertArrayEquals(new double[] {-0.06186495890365111, 0.07974729156638433, -0.3989454771166594,
            1.3829247166421808, 0.006938930923688191, -0.22611024181096867, -0.4220466031621698,
            0.42204660316216974, -0.7450287809892094, 0.7450287809892093, -0.182721910794179,
            0.18272191079417877}, grad, TOL);
    }

    /**
     * Adam's first step (t = 1) on the batch-mean gradient ḡ = g/2 with lr = 0.01: m = 0.1·ḡ, v = 0.001·ḡ²,
     * m̂ = m/(1 − 0.9) = ḡ, v̂ = v/(1 − 0.999) = ḡ², so θ ← θ − 0.01·ḡ/(|ḡ| + 1e-8): each parameter moves by
     * just under 0.01 against the sign of its gradient.
     */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"OJALGO", "BLAS"})
    void oneAdamStepMatchesTheHandArithmetic(Backend backend) {
        double[] grad = new double[NET.paramCount()];
        double[] theta = THETA.clone();
        Objective.lossAndGradient(NET, theta, new Batch().set(DATA, null, 0, 2), workspace(backend), grad);
        for (int i = 0; i < grad.length; i++) grad[i] /= 2;
        Optimizer adam = OptimizerKind.ADAM.create(NET.paramCount(), NET.layout(), 0, 0);
        adam.step(theta, grad, 0.01);
        double[] g = handGradient();
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            double mean = g[i] / 2;
            expected[i] = THETA[i] - 0.01 * mean / (Math.abs(mean) + 1e-8);
        }
        assertArrayEquals(expected, theta, TOL);
        assertArrayEquals(new double[] {0.10999999676715319, 0.2900000025079215, 0.2099999994986784,
            0.39000000014462105, 0.09000002882280077, -0.09000000088452421, 0.5099999995261187,
            0.2400000004738813, -0.490000000268446, 0.740000000268446, 0.009999998905440639,
            0.19000000109455936}, theta, TOL);
    }
}
