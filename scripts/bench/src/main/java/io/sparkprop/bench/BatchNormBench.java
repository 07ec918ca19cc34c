// What batch-norm's global-batch exchange costs: step time of a small CNN with two batch-norm layers against the
// same CNN without them, in process on 2 threads and on Spark local[2] under each protocol.
package io.sparkprop.bench;

import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.nn.RunningStatistics;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;

/**
 * [1, 16, 16] → conv2d 8×3×3 relu → (batch-norm) → max-pool 2 → flatten → dense 64 relu → (batch-norm) → 10, batch
 * 512 of 8192 synthetic rows. Prints step_ms of each engine with and without batch-norm and
 * {@code ratio batch-norm-step-vs-plain-<engine>}: the exchange's cost plus the layers' own (small) arithmetic.
 * The engines alternate windows so all see the same outside load; each figure is the best of its windows.
 */
final class BatchNormBench {
    private BatchNormBench() {
    }

    static Network net(boolean norm) {
        List<LayerSpec> layers = norm
                ? List.of(LayerSpec.conv2d(8, 3, 1, 1, Activation.RELU), LayerSpec.batchNorm(0.1, 1e-5),
                        LayerSpec.maxPool(2, 2), LayerSpec.flatten(), LayerSpec.dense(64, Activation.RELU),
                        LayerSpec.batchNorm(0.1, 1e-5))
                : List.of(LayerSpec.conv2d(8, 3, 1, 1, Activation.RELU), LayerSpec.maxPool(2, 2),
                        LayerSpec.flatten(), LayerSpec.dense(64, Activation.RELU));
        return new Network(new LayerStack(new Shape(1, 16, 16), layers, 10), Activation.RELU, Output.SOFTMAX,
                Loss.SOFTMAX_CROSS_ENTROPY, true, false);
    }

    static void run(Backend backend, double seconds) throws Exception {
        Dataset rows = Models.synthetic(8192, 256, 10, 5);
        BatchPlan plan = new BatchPlan(rows.rows, 512, 42);
        Network norm = net(true);
        Network plain = net(false);
        System.out.printf("batch-norm exchanges per step=%d%n", RunningStatistics.exchanges(norm, false).length);
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop bench batch-norm", false, Map.of());
        String[] names = {"inprocess", "barrier", "driver"};
        double[][] ms = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE},
                {Double.MAX_VALUE, Double.MAX_VALUE}};
        EngineFactory barrier = Runs.spark(sc, "bench-bn", "spark.partitions=2", "spark.protocol=barrier",
                "compute.backend=" + backend, "spark.storage-level=MEMORY_ONLY");
        EngineFactory driver = Runs.spark(sc, "bench-bn", "spark.partitions=2", "spark.protocol=driver",
                "compute.backend=" + backend, "spark.storage-level=MEMORY_ONLY");
        try (DistributedData data = barrier.ship(rows, null, null);
             LocalEngine ln = new LocalEngine(norm, rows, null, null, plan, backend::gemm, 2);
             LocalEngine lp = new LocalEngine(plain, rows, null, null, plan, backend::gemm, 2);
             SparkEngine bn = barrier.create(norm, data, plan);
             SparkEngine bp = barrier.create(plain, data, plan);
             SparkEngine dn = driver.create(norm, data, plan);
             SparkEngine dp = driver.create(plain, data, plan)) {
            Engine[][] engines = {{ln, lp}, {bn, bp}, {dn, dp}};
            Stepper[][] steppers = new Stepper[3][2];
            for (int k = 0; k < 3; k++) {
                for (int v = 0; v < 2; v++) {
                    Network net = v == 0 ? norm : plain;
                    steppers[k][v] = new Stepper(engines[k][v], net, Models.params(net, 42));
                    steppers[k][v].window(1);
                    if (engines[k][v] instanceof SparkEngine se) se.release();
                }
            }
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < 3; k++) {
                    for (int v = 0; v < 2; v++) {
                        steppers[k][v].window(0); // a barrier job's start stays off the clock
                        double[] w = steppers[k][v].window(seconds / 18);
                        if (engines[k][v] instanceof SparkEngine se) se.release(); // the next engine needs the slots
                        ms[k][v] = Math.min(ms[k][v], 1e3 / w[1]);
                    }
                }
            }
        }
        sc.stop();
        for (int k = 0; k < 3; k++) {
            System.out.printf("%s batch-norm step_ms=%.1f plain step_ms=%.1f%n", names[k], ms[k][0], ms[k][1]);
        }
        for (int k = 0; k < 3; k++) {
            System.out.printf("ratio batch-norm-step-vs-plain-%s=%.2f%n", names[k], ms[k][0] / ms[k][1]);
        }
    }
}
