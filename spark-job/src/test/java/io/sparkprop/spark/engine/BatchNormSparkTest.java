// batch-norm on Spark: both protocols exchange the whole batch's sums mid-pass, so they give each other's bits,
// 3 partitions come within rounding of 1 after 20 steps, and the running statistics follow the batches.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.nn.Shape;

class BatchNormSparkTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[3]", "sparkprop-batch-norm-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** conv2d → batch-norm (per channel) → max-pool → flatten → dense → batch-norm (per feature) → dropout. */
    static Network net(boolean float32) {
        return new Network(new LayerStack(new Shape(1, 6, 6), List.of(
                LayerSpec.conv2d(3, 3, 1, 1, Activation.TANH), LayerSpec.batchNorm(0.1, 1e-5),
                LayerSpec.maxPool(2, 2), LayerSpec.flatten(), LayerSpec.dense(6, Activation.RELU),
                LayerSpec.batchNorm(0.2, 1e-5), LayerSpec.dropout(0.2)), 3), Activation.TANH, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, float32);
    }

    static double[] train(int partitions, String protocol, boolean float32, List<Double> epochLoss) {
        Network net = net(float32);
        Dataset data = float32 ? LayerListSparkTest.images().toFloat32() : LayerListSparkTest.images();
        try (SparkEngine e = EngineFactory.resolve(sc, StepRunner.settings(partitions, protocol, float32, "bn"))
                .create(net, data, null, data, LayerListSparkTest.PLAN)) {
            assertEquals(protocol, e.protocol());
            // 5 epochs of 4 steps: 20 steps
            return LayerListSparkTest.train(net, e, epochLoss, 5);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bothProtocolsGiveTheSameBitsAndThreePartitionsMatchOneInFloat64(boolean float32) {
        List<Double> driverLoss = new ArrayList<>();
        List<Double> barrierLoss = new ArrayList<>();
        double[] driver = train(3, "driver", float32, driverLoss);
        double[] barrier = train(3, "barrier", float32, barrierLoss);
        assertArrayEquals(driver, barrier, "the driver protocol's jobs and the barrier tree add the same sums");
        assertEquals(driverLoss, barrierLoss);
        assertNotEquals(driverLoss.get(0), driverLoss.get(4), "training moved the loss");

        if (!float32) {
            // Another partition count adds the same sums in another order. (float32 rounds each partition's
            // products, and Adam's first steps are ±lr wherever |g| ≫ ε, so a near-zero gradient's sign can flip:
            // compared in float64 only, as LayerTorchReferenceTest does.)
            double[] one = train(1, "driver", false, new ArrayList<>());
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i], barrier[i], 1e-9 * Math.max(1, Math.abs(one[i])), "param " + i);
            }
        }
        ParamLayout layout = net(float32).layout();
        int c = layout.normChannels(1);
        assertNotEquals(0.0, barrier[layout.bOffset(1) + 2 * c], "the running mean followed the batches");
        assertNotEquals(1.0, barrier[layout.bOffset(1) + 3 * c], "and the running variance");
    }
}
