// A model.layers network (conv2d, max-pool, flatten, dense, dropout) on the Spark engine: the barrier protocol
// gives the driver protocol's bits, and both come within rounding of the in-process engine, float64 and float32.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.TrainState;
import io.sparkprop.trainer.train.Trainer;

class LayerListSparkTest {
    static JavaSparkContext sc;
    static final BatchPlan PLAN = new BatchPlan(100, 32, 5);

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-layers-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** 100 images [1, 6, 6] whose class is the brightest third of the image. */
    static Dataset images() {
        SplittableRandom r = new SplittableRandom(7);
        int rows = 100;
        double[] x = new double[rows * 36];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            y[i] = c;
            for (int p = 0; p < 36; p++) x[i * 36 + p] = r.nextDouble() + ((p % 6) / 2 == c ? 0.5 : 0.0);
        }
        return new Dataset(rows, 36, 1, x, y, List.of("a", "b", "c"));
    }

    static Network net(boolean float32) {
        return new Network(new LayerStack(new Shape(1, 6, 6), List.of(
                LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.maxPool(2, 2), LayerSpec.flatten(),
                LayerSpec.dense(6, Activation.RELU), LayerSpec.dropout(0.2)), 3), Activation.TANH, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
    }

    static SparkEngine spark(String protocol, boolean float32, Network net, Dataset data) {
        return EngineFactory.resolve(sc, StepRunner.settings(2, protocol, float32, "test")).create(net, data, null,
                data, PLAN);
    }

    /** Three epochs of Adam through the Trainer; the final θ, each epoch's mean loss recorded. */
    static double[] train(Network net, Engine e, List<Double> epochLoss) {
        return train(net, e, epochLoss, 3);
    }

    /** As above for {@code epochs} epochs. */
    static double[] train(Network net, Engine e, List<Double> epochLoss, int epochs) {
        double[] params = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), params, 3);
        long steps = PLAN.stepsPerEpoch();
        Updater u = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 0.0),
                Schedule.of(ScheduleSpec.constant(0.01), steps, epochs * steps), net.layout(), 0.0, 0.0);
        TrainState state = new TrainState("h", params, new double[0]);
        new Trainer(net, e, u, CheckpointStore.NONE, 0, 0)
                .run(state, epochs, (EpochRecord r) -> epochLoss.add(r.trainLoss()));
        return state.params;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void barrierEqualsDriverBitForBitAndBothMatchInProcess(boolean float32) {
        Network net = net(float32);
        Dataset data = float32 ? images().toFloat32() : images();
        List<Double> driverLoss = new ArrayList<>();
        List<Double> barrierLoss = new ArrayList<>();
        List<Double> localLoss = new ArrayList<>();
        double[] driver;
        double[] barrier;
        try (SparkEngine e = spark("driver", float32, net, data)) {
            driver = train(net, e, driverLoss);
        }
        try (SparkEngine e = spark("barrier", float32, net, data)) {
            assertEquals("barrier", e.protocol());
            barrier = train(net, e, barrierLoss);
        }
        double[] local;
        try (LocalEngine e = new LocalEngine(net, data, null, data, PLAN, () -> Backend.OJALGO.gemm(),
                2)) {
            local = train(net, e, localLoss);
        }
        assertArrayEquals(driver, barrier);
        assertEquals(driverLoss, barrierLoss);
        assertNotEquals(driverLoss.get(0), driverLoss.get(2), "training moved the loss");
        // float64: the same sums in another order; float32: the Spark engine rounds the summed gradient to float
        double tol = float32 ? 1e-4 : 1e-9;
        for (int i = 0; i < local.length; i++) {
            assertEquals(local[i], barrier[i], tol * Math.max(1, Math.abs(local[i])), "param " + i);
        }
        for (int i = 0; i < localLoss.size(); i++) {
            assertEquals(localLoss.get(i), barrierLoss.get(i), tol * localLoss.get(i), "epoch " + (i + 1));
        }
    }
}
