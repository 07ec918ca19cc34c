// Row weights in a step: all-ones weights give today's bits, a row weighted 2 is that row twice, and the engines'
// weight sums are the divisor.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Sgd;
import io.sparkprop.trainer.optim.Updater;

class WeightedStepTest {
    static final Dataset DATA = Builtins.spirals(100, 3, 0.2, 4); // 300 rows
    static final Network NET = new Network(new int[] {2, 16, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.2);

    static double[] theta(Network net) {
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 5);
        return params;
    }

    /** θ after {@code epochs} epochs of adam (batches of {@code batch}) on {@code threads} threads. */
    static double[] train(Network net, Dataset d, int batch, int threads, int epochs) {
        double[] params = theta(net);
        BatchPlan plan = new BatchPlan(d.rows, batch, 9);
        Updater u = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 100), net.layout(), 1e-4, 0.0);
        try (LocalEngine e = new LocalEngine(net, d, null, null, plan, () -> Backend.OJALGO.gemm(), threads)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                EpochSteps s = e.trainEpoch(params, u, epoch, (long) epoch * plan.stepsPerEpoch());
                assertEquals(plan.stepsPerEpoch(), s.loss().length);
            }
        }
        return params;
    }

    static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return w;
    }

    @ParameterizedTest
    @CsvSource({"1, false", "3, false", "1, true", "3, true"})
    void allOnesWeightsGiveTheUnweightedBits(int threads, boolean float32) {
        Network net = NET.withFloat32(float32);
        Dataset plain = float32 ? DATA.toFloat32() : DATA;
        double[] unweighted = train(net, plain, 150, threads, 3);
        double[] weighted = train(net, plain.withWeights(ones(plain.rows)), 150, threads, 3);
        double[] classOnes = train(net, plain.withClassWeights(ones(3)), 150, threads, 3);
        assertFalse(Arrays.equals(unweighted, theta(net)), "the run must move θ");
        assertArrayEquals(unweighted, weighted);
        assertArrayEquals(unweighted, classOnes);
    }

    /** Row 0 appended once more at the end (the duplicated table). */
    static Dataset withRowZeroTwice(Dataset d) {
        int[] rows = new int[d.rows + 1];
        for (int i = 0; i < d.rows; i++) rows[i] = i;
        rows[d.rows] = 0;
        return d.select(rows);
    }

    /** One full-batch plain SGD step (no dropout: the duplicate has its own mask otherwise). */
    static double[] fullBatchSgdStep(Dataset d, int threads) {
        Network net = NET.withFloat32(false);
        Network plainNet = new Network(net.sizes(), net.activation, net.output, net.loss, 0.0, true);
        double[] params = theta(plainNet);
        BatchPlan plan = new BatchPlan(d.rows, d.rows, 1);
        Updater u = new Updater(new Sgd(params.length), Schedule.of(ScheduleSpec.constant(0.5), 1, 1),
                plainNet.layout(), 0.0, 0.0);
        try (LocalEngine e = new LocalEngine(plainNet, d, null, null, plan, () -> Backend.OJALGO.gemm(), threads)) {
            e.trainEpoch(params, u, 0, 0);
        }
        return params;
    }

    @ParameterizedTest
    @CsvSource({"1", "2"})
    void aRowWeightedTwoIsThatRowTwice(int threads) {
        double[] w = ones(DATA.rows);
        w[0] = 2.0;
        double[] weighted = fullBatchSgdStep(DATA.withWeights(w), threads);
        double[] duplicated = fullBatchSgdStep(withRowZeroTwice(DATA), threads);
        double[] before = theta(new Network(NET.sizes(), NET.activation, NET.output, NET.loss, 0.0, true));
        assertFalse(Arrays.equals(before, weighted));
        // The sums add the same terms in another order (the duplicate sits elsewhere in the batch): rounding only.
        assertArrayEquals(duplicated, weighted, 1e-12);
        double[] unweighted = fullBatchSgdStep(DATA, threads);
        double apart = 0;
        for (int i = 0; i < unweighted.length; i++) apart = Math.max(apart, Math.abs(unweighted[i] - weighted[i]));
        assertTrue(apart > 1e-6, "weight 2 must change the step, moved " + apart);
    }

    @Test
    void lbfgsOnARowWeightedTwoIsThatRowTwice() {
        double[] w = ones(DATA.rows);
        w[0] = 2.0;
        double[] weighted = lbfgsIteration(DATA.withWeights(w));
        double[] duplicated = lbfgsIteration(withRowZeroTwice(DATA));
        assertArrayEquals(duplicated, weighted, 1e-12);
    }

    static double[] lbfgsIteration(Dataset d) {
        Network net = new Network(NET.sizes(), NET.activation, NET.output, NET.loss, 0.0, true);
        double[] params = theta(net);
        BatchPlan plan = new BatchPlan(d.rows, d.rows, 1);
        LbfgsEpochs rule = new LbfgsEpochs(net, plan, 5, 0.0, 1e-3);
        try (LocalEngine e = new LocalEngine(net, d, null, null, plan, () -> Backend.OJALGO.gemm(), 1)) {
            for (int epoch = 0; epoch < 2; epoch++) rule.run(e, params, epoch, epoch);
        }
        return params;
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void aWeightedStepAllocatesNothing(boolean float32) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        Network net = NET.withFloat32(float32);
        double[] w = new double[DATA.rows];
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + i % 3;
        Dataset d = (float32 ? DATA.toFloat32() : DATA).withWeights(w).withClassWeights(new double[] {1, 2, 3});
        BatchPlan plan = new BatchPlan(d.rows, 60, 1);
        double[] params = theta(net);
        double[] grad = new double[params.length];
        Updater u = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), plan.stepsPerEpoch(), 1000), net.layout(), 1e-4, 1.0);
        double[] loss = new double[plan.stepsPerEpoch()];
        double[] norm = new double[plan.stepsPerEpoch()];
        try (LocalEngine e = new LocalEngine(net, d, null, null, plan, () -> Backend.OJALGO.gemm(), 1)) {
            int n = plan.stepsPerEpoch();
            for (int i = 0; i < 30; i++) Step.take(e, u, plan, params, grad, 0, i % n, i, loss, norm); // grow, warm
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) Step.take(e, u, plan, params, grad, 0, i % n, 30 + i, loss, norm);
            long bytes = mx.getThreadAllocatedBytes(tid) - before;
            // Under 1 KB in all: any per-step object (16 bytes or more) would add up to 1.6 KB or more.
            assertTrue(bytes < 1024, net + ": 100 weighted steps allocated " + bytes + " bytes");
            assertTrue(Double.isFinite(e.lastWeightSum()) && e.lastWeightSum() > 60, "weighted divisor");
        }
    }

    @Test
    void theEngineReportsTheBatchWeightAsTheDivisor() {
        double[] w = new double[DATA.rows];
        for (int i = 0; i < w.length; i++) w[i] = 0.25 * (i % 7);
        double[] cw = {1.0, 3.0, 0.5};
        Dataset d = DATA.withWeights(w).withClassWeights(cw);
        BatchPlan plan = new BatchPlan(d.rows, 200, 3);
        int[] perm = plan.permutation(0);
        double expected = 0;
        for (int i = plan.batchStart(0); i < plan.batchEnd(0); i++) {
            expected += w[perm[i]] * cw[d.label(perm[i])];
        }
        for (int threads : new int[] {1, 3}) {
            try (LocalEngine e = new LocalEngine(NET, d, null, null, plan, () -> Backend.OJALGO.gemm(), threads)) {
                e.lossAndGradient(theta(NET), 0, 0, new double[NET.paramCount()]);
                assertEquals(expected, e.lastWeightSum(), 1e-9);
            }
        }
        try (LocalEngine e = new LocalEngine(NET, DATA, null, null, plan, () -> Backend.OJALGO.gemm(), 1)) {
            e.lossAndGradient(theta(NET), 0, 0, new double[NET.paramCount()]);
            assertTrue(Double.isNaN(e.lastWeightSum()), "unweighted rows divide by the row count");
        }
    }
}
