// A worker's hooks across tasks: a task of a failed attempt ending late does not stop a newer task's hook or sums.
package io.sparkprop.spark.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.BatchSums;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Overlap;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.train.BatchPlan;

class PartitionWorkerOverlapTest {
    static final Dataset DATA = Builtins.spirals(40, 3, 0.2, 11);
    static final Network NET = new Network(new int[] {2, 8, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
    static final BatchPlan PLAN = new BatchPlan(DATA.rows, 40, 5);
    static final String RUN = "PartitionWorkerOverlapTest";

    @AfterEach
    void forget() {
        PartitionWorker.forget(RUN);
    }

    /** Records the θ requests it is asked (a receiver of θ would wait in them). */
    static final class Asked implements Overlap {
        final List<Integer> to = new ArrayList<>();

        @Override
        public void gradientReady(int from, int until) {
        }

        @Override
        public void paramsNeeded(int until) {
            to.add(until);
        }
    }

    /**
     * The old attempt's task set its hook, the new attempt's task (same partition, same JVM) then set its own,
     * and the old one ends last: the new task's pass still asks its hook for θ before reading it (float32: the
     * kernel on θ as the floats it came in, through the worker's widening hook).
     */
    @ParameterizedTest(name = "float32: {0}")
    @ValueSource(booleans = {false, true})
    void anOlderTaskEndingDoesNotStopANewerTasksHook(boolean float32) {
        Network net = NET.withFloat32(float32);
        PartitionWorker worker = PartitionWorker.get(RUN, 0, net, PLAN, Backend.BLAS);
        Block block = Block.of(float32 ? DATA.toFloat32() : DATA, 0, 1);
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 3);
        float[] paramsF = new float[params.length];
        for (int i = 0; i < params.length; i++) paramsF[i] = (float) params[i];
        Asked older = new Asked();
        Asked newer = new Asked();
        worker.overlap(older);
        worker.overlap(newer);
        worker.overlapEnds(older);

        double[] out = PartialLayout.of(net).newArray();
        step(worker, block, float32, params, paramsF, out);

        assertTrue(older.to.isEmpty(), "the older task's hook is not asked: " + older.to);
        assertFalse(newer.to.isEmpty(), "the newer task's hook is still the worker's");
        assertEquals(net.paramCount(), (int) newer.to.get(newer.to.size() - 1),
                "the newer task's hook is asked for all of θ before the backward pass: " + newer.to);

        worker.overlapEnds(newer);
        int asked = newer.to.size();
        step(worker, block, float32, params, paramsF, out);
        assertEquals(asked, newer.to.size(), "the newer task's own end stops its hook");
    }

    private static void step(PartitionWorker worker, Block block, boolean float32, double[] params, float[] paramsF,
                             double[] out) {
        if (float32) {
            worker.lossAndGradient(block, block.asDataset(null), paramsF, 0, 0, out);
        } else {
            worker.lossAndGradient(block, block.asDataset(null), params, 0, 0, out);
        }
    }

    /** The same for batch-norm's source of global sums: the newer task's exchange still goes through its own. */
    @Test
    void anOlderTaskEndingDoesNotStopANewerTasksBatchNormSums() {
        Network net = new Network(new LayerStack(Shape.flat(2), List.of(LayerSpec.dense(8, Activation.TANH),
                LayerSpec.batchNorm(0.1, 1e-5)), 3), Activation.TANH, Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY,
                true, false);
        PartitionWorker worker = PartitionWorker.get(RUN, 1, net, PLAN, Backend.BLAS);
        Block block = Block.of(DATA, 0, 1);
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 3);
        List<Integer> olderCalls = new ArrayList<>();
        List<Integer> newerCalls = new ArrayList<>();
        BatchSums older = (layer, backward, sums) -> olderCalls.add(layer); // one shard: its sums are the batch's
        BatchSums newer = (layer, backward, sums) -> newerCalls.add(layer);
        worker.normSums(older, null);
        worker.normSums(newer, null);
        worker.normSumsEnd(older);

        worker.lossAndGradient(block, block.asDataset(null), params, 0, 0, PartialLayout.of(net).newArray());

        assertTrue(olderCalls.isEmpty(), "the older task's exchange is not used: " + olderCalls);
        assertEquals(2, newerCalls.size(), "the newer task's exchange, forward and backward: " + newerCalls);
    }
}
