// Test support: trains a small spiral network step by step with any engine and records every step's loss; builds
// the Spark engines under test as runs do, from config keys through the engine factory.
package io.sparkprop.spark.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.trainer.config.TrainConfig;
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
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.Step;

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

    /**
     * Settings as a config with these keys gives them (through {@link SparkSettings#of}, as every run's): tree
     * depth 2, MEMORY_ONLY blocks, the ojalgo kernel.
     */
    static SparkSettings settings(int partitions, String protocol, boolean float32, String name) {
        return SparkSettings.of(TrainConfig.from(ConfigFactory.parseMap(Map.of("spark.partitions", partitions,
                "spark.protocol", protocol, "spark.tree-depth", 2, "spark.storage-level", "MEMORY_ONLY",
                "compute.backend", "ojalgo", "compute.precision", float32 ? "float32" : "float64"))), name);
    }

    /** A Spark engine over splits on the driver (validation and test may be null), built by the factory. */
    static SparkEngine spark(JavaSparkContext sc, SparkSettings settings, Network net, Dataset train,
                             Dataset validation, Dataset test) {
        return EngineFactory.resolve(sc, settings).create(net, train, validation, test, PLAN);
    }

    static LocalEngine local() {
        return new LocalEngine(NET, DATA, null, DATA, PLAN, () -> Backend.OJALGO.gemm(), 1);
    }

    /** Runs `epochs` epochs step by step through {@link Step}, recording each step's mean loss (Adam). */
    StepRunner run(Step.Sums engine, int epochs) {
        Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, NET.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), PLAN.stepsPerEpoch(), 100), NET.layout(), 0.0, 0.0);
        double[] grad = new double[params.length];
        double[] loss = new double[PLAN.stepsPerEpoch()];
        double[] norm = new double[PLAN.stepsPerEpoch()];
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int s = 0; s < PLAN.stepsPerEpoch(); s++) {
                Step.take(engine, updater, PLAN, params, grad, e, s, step++, loss, norm);
                losses.add(loss[s] / (PLAN.batchEnd(s) - PLAN.batchStart(s)));
            }
        }
        return this;
    }
}
