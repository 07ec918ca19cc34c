// batch-norm in the in-process engine: its threads normalise with the whole batch's statistics, the running
// statistics follow the batches and no optimizer moves them, and evaluation uses them.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Batch;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Objective;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.nn.Workspace;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;

class BatchNormEngineTest {
    static final Dataset DATA = Builtins.spirals(200, 3, 0.2, 4);

    static Network net(double momentum, boolean float32) {
        return new Network(new LayerStack(Shape.flat(2), List.of(LayerSpec.dense(16, Activation.TANH),
                LayerSpec.batchNorm(momentum, 1e-5), LayerSpec.dense(8, Activation.RELU),
                LayerSpec.batchNorm(momentum, 1e-5)), 3), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
    }

    static double[] start(Network net) {
        double[] p = new double[net.paramCount()];
        Init.HE.fill(net.layout(), p, 1);
        return p;
    }

    static Updater updater(Network net, OptimizerKind kind, double weightDecay) {
        return new Updater(kind.create(net.paramCount(), net.layout(), 0.9, weightDecay),
                Schedule.of(ScheduleSpec.constant(0.01), 1, 1), net.layout(), weightDecay, 0.0);
    }

    /** θ after {@code steps} steps (batch 300, so up to 9 threads of 32 rows) with Adam. */
    static double[] train(Network net, int threads, int steps) {
        double[] p = start(net);
        BatchPlan plan = new BatchPlan(DATA.rows, 300, 7);
        Updater u = updater(net, OptimizerKind.ADAM, 0.0);
        double[] grad = new double[p.length];
        try (LocalEngine e = new LocalEngine(net, DATA, null, null, plan, () -> Backend.OJALGO.gemm(), threads)) {
            for (int s = 0; s < steps; s++) {
                assertTrue(Step.take(e, u, plan, p, grad, s / 2, s % 2, s, new double[2], new double[2]));
            }
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void threadsNormaliseWithTheWholeBatch(boolean float32) {
        Network net = net(0.1, float32);
        double[] one = train(net, 1, 20);
        double[] three = train(net, 3, 20);
        double tol = float32 ? 1e-4 : 1e-9;
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], three[i], tol * Math.max(1, Math.abs(one[i])), "θ[" + i + "]");
        }
        assertArrayEquals(three, train(net, 3, 20), "a fixed thread count gives the same bits");
    }

    @Test
    void perThreadStatisticsWouldGiveAnotherGradient() {
        // What the exchange prevents: each third of the batch normalised by its own statistics.
        Network net = net(0.1, false);
        double[] p = start(net);
        int[] perm = new BatchPlan(DATA.rows, 300, 7).permutation(0);
        double[] global = new double[p.length];
        Workspace ws = net.newWorkspace(Backend.OJALGO.gemm());
        Objective.lossAndGradient(net, p, new Batch().set(DATA, perm, 0, 300).training(true, 1), ws, global);
        double[] shards = new double[p.length];
        for (int t = 0; t < 3; t++) {
            Objective.lossAndGradient(net, p, new Batch().set(DATA, perm, 100 * t, 100 * (t + 1)).training(true, 1),
                    ws, shards);
        }
        double worst = 0;
        for (int i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(global[i] - shards[i]));
        assertTrue(worst > 1e-2, "per-shard statistics move the gradient by " + worst);
    }

    @Test
    void runningStatisticsFollowTheBatchesAndNoOptimizerMovesThem() {
        ParamLayout layout = net(0, false).layout();
        for (OptimizerKind kind : OptimizerKind.PER_STEP) {
            // momentum 0: the running statistics keep their start, whatever the optimizer and weight decay do
            Network still = net(0.0, false);
            double[] p = start(still);
            double[] before = p.clone();
            BatchPlan plan = new BatchPlan(DATA.rows, 100, 3);
            Updater u = updater(still, kind, 0.1);
            double[] grad = new double[p.length];
            try (LocalEngine e = new LocalEngine(still, DATA, null, null, plan, () -> Backend.OJALGO.gemm(), 2)) {
                for (int s = 0; s < 4; s++) Step.take(e, u, plan, p, grad, 0, s, s, new double[4], new double[4]);
            }
            int moved = 0;
            for (int l = 0; l < layout.layers(); l++) {
                int c = layout.normChannels(l);
                for (int j = layout.bOffset(l) + 2 * c; j < layout.bOffset(l) + 4 * c; j++) {
                    assertEquals(before[j], p[j], kind + ": running statistic " + j);
                }
                for (int j = layout.bOffset(l); j < layout.bOffset(l) + 2 * c; j++) moved += before[j] != p[j] ? 1 : 0;
            }
            assertTrue(moved > 0, kind + " trains γ and β");
        }
        double[] p = train(net(0.1, false), 2, 3);
        int c = layout.normChannels(1);
        assertNotEquals(0.0, p[layout.bOffset(1) + 2 * c], "momentum 0.1 moves the running mean");
        assertNotEquals(1.0, p[layout.bOffset(1) + 3 * c], "and the running variance");
    }

    @Test
    void evaluationUsesTheRunningStatistics() {
        // In evaluation a row's prediction does not depend on the rows beside it; in training it does.
        Network net = net(0.1, false);
        double[] p = train(net, 2, 6);
        Workspace ws = net.newWorkspace(Backend.OJALGO.gemm());
        Objective.loss(net, p, new Batch().set(DATA, null, 0, 50), ws);
        double[] inBatch = ws.predictions(50).clone();
        Objective.loss(net, p, new Batch().set(DATA, null, 0, 1), ws);
        assertEquals(inBatch[0], ws.predictions(1)[0], "row 0 alone, evaluation mode");
        Objective.loss(net, p, new Batch().set(DATA, null, 0, 50).training(true, 1), ws);
        double trained = ws.predictions(50)[0];
        Objective.loss(net, p, new Batch().set(DATA, null, 0, 20).training(true, 1), ws);
        assertNotEquals(trained, ws.predictions(20)[0], "training mode normalises with the batch");
    }
}
