// Golden test: the first losses of a seeded tiny run are pinned, so any change to the numerics shows up.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
import io.sparkprop.trainer.optim.Updater;

class GoldenLossesTest {
    static final int STEPS = 12;

    /** Spirals (seed 11), 2-8-3 tanh, xavier seed 3, SGD momentum 0.9 at lr 0.1, batch 32, plan seed 5. */
    static List<Double> firstLosses(Backend backend) {
        Dataset data = Builtins.spirals(100, 3, 0.2, 11);
        Network net = new Network(new int[] {2, 8, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 3);
        BatchPlan plan = new BatchPlan(data.rows, 32, 5);
        Updater updater = new Updater(OptimizerKind.MOMENTUM.create(params.length, net.layout(), 0.9, 0),
                Schedule.of(ScheduleSpec.constant(0.1), plan.stepsPerEpoch(), 100), net.layout(), 0, 0);
        List<Double> losses = new ArrayList<>();
        double[] grad = new double[params.length];
        double[] loss = new double[plan.stepsPerEpoch()];
        double[] norm = new double[plan.stepsPerEpoch()];
        try (LocalEngine e = new LocalEngine(net, data, null, null, plan, () -> backend.gemm(), 1)) {
            for (int s = 0; s < STEPS; s++) {
                int epoch = s / plan.stepsPerEpoch();
                int step = s % plan.stepsPerEpoch();
                Step.take(e, updater, plan, params, grad, epoch, step, s, loss, norm);
                losses.add(loss[step] / (plan.batchEnd(step) - plan.batchStart(step)));
            }
        }
        return losses;
    }

    static List<Double> golden() throws IOException {
        try (InputStream in = GoldenLossesTest.class.getResourceAsStream("/golden-losses.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(Double::parseDouble).toList();
        }
    }

    @Test
    void firstLossesOfASeededRunArePinned() throws IOException {
        List<Double> expected = golden();
        List<Double> actual = firstLosses(Backend.OJALGO);
        assertEquals(STEPS, expected.size());
        for (int i = 0; i < STEPS; i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-12, "step " + i);
        }
    }

    @Test
    void theBlasKernelFollowsTheSameTrajectory() throws IOException {
        List<Double> expected = golden();
        List<Double> actual = firstLosses(Backend.BLAS);
        for (int i = 0; i < STEPS; i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-10, "step " + i);
        }
    }

    /** Prints the current values, to regenerate the resource after an intended numerical change. */
    public static void main(String[] args) {
        firstLosses(Backend.OJALGO).forEach(System.out::println);
    }
}
