// Test support: trains a small spiral network step by step with any engine and records every step's loss.
package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Kernels;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Optimizers;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;

/** The same network, data, plan and Adam updates for every engine under test. */
final class StepRunner {
    static final Dataset DATA = Builtins.spirals(100, 3, 0.2, 11);
    // Dropout on, so the test also proves masks do not depend on partitioning.
    static final Network NET = new Network(new int[] {2, 16, 8, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.2);
    static final BatchPlan PLAN = new BatchPlan(DATA.rows, 64, 5);

    final List<Double> losses = new ArrayList<>();
    final double[] params = new double[NET.paramCount()];

    StepRunner() {
        Init.XAVIER.fill(NET.layout(), params, 3);
    }

    static LocalEngine local() {
        return new LocalEngine(NET, DATA, null, DATA, PLAN, () -> Kernels.create("ojalgo"), 1);
    }

    /** Runs `epochs` epochs: per step a fresh gradient sum, then the mean loss is recorded and Adam steps. */
    StepRunner run(Engine engine, int epochs) {
        Updater updater = new Updater(Optimizers.create("adam", params.length, NET.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), PLAN.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
        double[] grad = new double[params.length];
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int s = 0; s < PLAN.stepsPerEpoch(); s++) {
                Arrays.fill(grad, 0);
                double loss = engine.lossAndGradient(params, e, s, grad);
                long n = PLAN.batchEnd(s) - PLAN.batchStart(s);
                losses.add(loss / n);
                updater.apply(params, grad, n, step++);
            }
        }
        return this;
    }
}
