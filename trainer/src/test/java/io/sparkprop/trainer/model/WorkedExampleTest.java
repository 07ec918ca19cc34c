// One SGD step of a 2-2-2 sigmoid network under the quadratic cost, weights from a JSON file, checked against
// arithmetic written out by hand (the numbers of the well-known "step by step backpropagation" worked example).
package io.sparkprop.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

class WorkedExampleTest {
    /** The weights as a learner writes them: W[j][i] from input i into unit j, one bias per unit. */
    static final String WEIGHTS = """
            {"layers": [
              {"W": [[0.15, 0.20], [0.25, 0.30]], "b": [0.35, 0.35]},
              {"W": [[0.40, 0.45], [0.50, 0.55]], "b": [0.60, 0.60]}
            ]}
            """;

    @TempDir
    Path tmp;

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Entry (j, i) of layer l's W in a flat vector (column-major, out × in). */
    static double w(double[] v, ParamLayout layout, int l, int j, int i) {
        return v[layout.wOffset(l) + i * layout.out(l) + j];
    }

    static double b(double[] v, ParamLayout layout, int l, int j) {
        return v[layout.bOffset(l) + j];
    }

    @Test
    void oneStepMatchesTheArithmeticByHand() throws Exception {
        Path file = tmp.resolve("weights.json");
        Files.writeString(file, WEIGHTS);
        Network net = new Network(new int[] {2, 2, 2}, Activation.SIGMOID, Output.SIGMOID, Loss.MSE, 0.0, false);
        double[] params = InitialWeights.fromFile(file, net);
        ParamLayout layout = net.layout();
        // One row, two real targets.
        double x1 = 0.05, x2 = 0.10, y1 = 0.01, y2 = 0.99;
        Dataset row = new Dataset(1, 2, 2, new double[] {x1, x2}, new double[] {y1, y2}, null);

        // ---- by hand ----
        // hidden layer: z = W·x + b, a = σ(z)
        double zh1 = 0.15 * x1 + 0.20 * x2 + 0.35;             // 0.3775
        double zh2 = 0.25 * x1 + 0.30 * x2 + 0.35;             // 0.3925
        double ah1 = sigmoid(zh1);                             // 0.593269992
        double ah2 = sigmoid(zh2);                             // 0.596884378
        // output layer
        double zo1 = 0.40 * ah1 + 0.45 * ah2 + 0.60;           // 1.105905967
        double zo2 = 0.50 * ah1 + 0.55 * ah2 + 0.60;           // 1.224921404
        double ao1 = sigmoid(zo1);                             // 0.751365070
        double ao2 = sigmoid(zo2);                             // 0.772928465
        // quadratic cost C = ½(a − y)² summed over the outputs
        double loss = 0.5 * (ao1 - y1) * (ao1 - y1) + 0.5 * (ao2 - y2) * (ao2 - y2); // 0.298371109
        // output deltas δ = ∂C/∂z = (a − y)·σ′(z), σ′(z) = a(1 − a)
        double do1 = (ao1 - y1) * ao1 * (1 - ao1);             // 0.138498562
        double do2 = (ao2 - y2) * ao2 * (1 - ao2);             // −0.038098236
        // output layer gradients: dW = δ·a_hiddenᵀ, db = δ
        double dW5 = do1 * ah1, dW6 = do1 * ah2, dW7 = do2 * ah1, dW8 = do2 * ah2; // dW5 = 0.082167041
        // hidden deltas δ_h = (W_outᵀ·δ_o) ⊙ σ′(z_h), with the weights before the step
        double dh1 = (0.40 * do1 + 0.50 * do2) * ah1 * (1 - ah1);
        double dh2 = (0.45 * do1 + 0.55 * do2) * ah2 * (1 - ah2);
        // hidden layer gradients: dW = δ_h·xᵀ, db = δ_h
        double dW1 = dh1 * x1, dW2 = dh1 * x2, dW3 = dh2 * x1, dW4 = dh2 * x2; // dW1 = 0.000438568
        // SGD with learning rate 0.5 on one row: θ ← θ − 0.5·∂C/∂θ
        double lr = 0.5;

        // The hand arithmetic against the figures published with the worked example (9 digits).
        assertEquals(0.593269992, ah1, 1e-9);
        assertEquals(0.751365070, ao1, 1e-9);
        assertEquals(0.772928465, ao2, 1e-9);
        assertEquals(0.298371109, loss, 1e-9);
        assertEquals(0.082167041, dW5, 1e-9);
        assertEquals(0.35891648, 0.40 - lr * dW5, 1e-8);   // w5 after the step
        assertEquals(0.511301270, 0.50 - lr * dW7, 1e-9);  // w7
        assertEquals(0.000438568, dW1, 1e-9);
        assertEquals(0.149780716, 0.15 - lr * dW1, 1e-9);  // w1
        assertEquals(0.29950229, 0.30 - lr * dW4, 1e-8);   // w4

        // ---- the engine ----
        double[] grad = new double[net.paramCount()];
        Batch batch = new Batch().set(row, null, 0, 1).training(true, 0L);
        double engineLoss = Objective.lossAndGradient(net, params, batch, net.newWorkspace(new OjAlgoGemm()), grad);
        double tol = 1e-15;
        assertEquals(loss, engineLoss, tol);
        double[][] handW = {{dW1, dW2, dW3, dW4}, {dW5, dW6, dW7, dW8}};
        double[][] handB = {{dh1, dh2}, {do1, do2}};
        for (int l = 0; l < 2; l++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(handW[l][j * 2 + i], w(grad, layout, l, j, i), tol,
                            "dW" + (l + 1) + "[" + j + "][" + i + "]");
                }
                assertEquals(handB[l][j], b(grad, layout, l, j), tol, "db" + (l + 1) + "[" + j + "]");
            }
        }
        Updater sgd = new Updater(OptimizerKind.SGD.create(net.paramCount(), layout, 0, 0),
                Schedule.of(ScheduleSpec.constant(lr), 1, 1), layout, 0, 0);
        double[] before = params.clone();
        sgd.apply(params, grad, 1, 0, Lanes.SERIAL);
        double[][] w0 = {{0.15, 0.20, 0.25, 0.30}, {0.40, 0.45, 0.50, 0.55}};
        double[] b0 = {0.35, 0.60};
        for (int l = 0; l < 2; l++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(w0[l][j * 2 + i], w(before, layout, l, j, i), 0.0, "read from the file");
                    assertEquals(w0[l][j * 2 + i] - lr * handW[l][j * 2 + i], w(params, layout, l, j, i), tol,
                            "W" + (l + 1) + "[" + j + "][" + i + "] after the step");
                }
                assertEquals(b0[l] - lr * handB[l][j], b(params, layout, l, j), tol, "b" + (l + 1) + "[" + j + "]");
            }
        }
    }

    @Test
    void shapeErrorsNameTheLayer() throws Exception {
        Network net = new Network(new int[] {2, 2, 2}, Activation.SIGMOID, Output.SIGMOID, Loss.MSE, 0.0, false);
        String l2 = "{\"W\": [[1, 2], [3, 4]], \"b\": [0, 0]}";
        List<String[]> cases = List.of(
                new String[] {"{\"layers\": [{\"W\": [[1, 2]], \"b\": [0]}, " + l2 + "]}",
                        "layer 1: W has 1 rows, the layer has 2 units (W is 2 × 2, out × in)"},
                new String[] {"{\"layers\": [" + l2 + ", {\"W\": [[1, 2], [3]], \"b\": [0, 0]}]}",
                        "layer 2: W[1] has 1 values, the layer has 2 inputs"},
                new String[] {"{\"layers\": [{\"W\": [[1, 2], [3, 4]], \"b\": [0]}, " + l2 + "]}",
                        "layer 1: b has 1 values, the layer has 2 units"},
                new String[] {"{\"layers\": [" + l2 + "]}", "1 layers, the network [2, 2, 2] has 2 dense layers"},
                new String[] {"{\"layers\": [{\"W\": [[1, \"x\"], [3, 4]], \"b\": [0, 0]}, " + l2 + "]}",
                        "layer 1: W[0][1] is \"x\", expected a number"},
                new String[] {"[1, 2", "not valid JSON"});
        int k = 0;
        for (String[] c : cases) {
            Path f = tmp.resolve("w" + k++ + ".json");
            Files.writeString(f, c[0]);
            String msg = assertThrows(UserError.class, () -> InitialWeights.fromFile(f, net)).getMessage();
            assertTrue(msg.startsWith("model.init: " + f) && msg.contains(c[1])
                    && !msg.contains("\n"), msg);
        }
    }
}
