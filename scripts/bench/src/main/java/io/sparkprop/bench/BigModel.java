// The big-model bench line: MLlib's ann-benchmark network (12M weights) on Spark local[2] vs in process.
package io.sparkprop.bench;

import java.util.HashMap;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;

/**
 * 784-2500-2000-1500-1000-500-10 (11,972,510 weights and biases: |θ| = 96 MB of doubles), relu, Adam, global
 * batch {@link #BATCH} over the same synthetic rows on both sides: the Spark engine on local[2] with 2 partitions
 * and the barrier protocol, against the in-process engine on 2 threads, alternating windows of whole epochs; the
 * best window of each, and a second barrier engine with spark.sparkprop.bucketValues = 0 (the sums sent after the
 * whole backward pass) in the same windows. Here θ and S(0) are large next to a step's compute, so the exchange
 * (and how much of it hides behind the backward pass) shows. Extra arguments "spark.key=value" go to the
 * SparkContext (e.g. spark.sparkprop.memoryLinks=false).
 */
final class BigModel {
    static final int[] SIZES = {784, 2500, 2000, 1500, 1000, 500, 10};
    static final int BATCH = 1024;
    static final int ROWS = 4 * BATCH;

    private BigModel() {
    }

    /** BACKEND SECONDS [spark.key=value...]: the line alone (Ratios big-model runs the same). */
    public static void main(String[] args) {
        run(Backend.valueOf(args[0].toUpperCase(java.util.Locale.ROOT).replace('-', '_')), Double.parseDouble(args[1]), java.util.Arrays.copyOfRange(args, 2, args.length));
        System.exit(0);
    }

    static void run(Backend backend, double seconds, String... sparkConf) {
        Network net = Models.mlp(SIZES);
        Dataset rows = Models.synthetic(ROWS, SIZES[0], SIZES[SIZES.length - 1], 7);
        BatchPlan plan = new BatchPlan(rows.rows, BATCH, 42);
        Map<String, String> conf = new HashMap<>();
        for (String kv : sparkConf) {
            int eq = kv.indexOf('=');
            conf.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop bench big model", false, conf);
        // The third engine is the second with the sums sent after the whole backward pass: before and after the
        // overlap, in the same windows.
        String[] names = {"in-process", "spark barrier", "spark barrier bucketValues=0"};
        double[][] best;
        EngineFactory barrierProtocol = Runs.spark(sc, "bench-big", "spark.partitions=2",
                "spark.storage-level=MEMORY_ONLY", "compute.backend=" + backend, "spark.protocol=barrier");
        try (DistributedData data = barrierProtocol.ship(rows, null, null);
             LocalEngine le = new LocalEngine(net, rows, null, null, plan, () -> backend.gemm(), 2);
             SparkEngine barrier = barrierProtocol.create(net, data, plan);
             SparkEngine afterPass = barrierProtocol.create(net, data, plan)) {
            System.out.printf("big model %s: %d parameters, batch %d, %d rows, spark conf %s%n",
                    java.util.Arrays.toString(SIZES), net.paramCount(), BATCH, rows.rows, conf);
            // The protocol reads the overlap setting at each job's start (SparkContext.conf is what it copies).
            best = Stepper.alternate(new Engine[] {le, barrier, afterPass}, net, names, 0, 3, seconds,
                    k -> overlap(sc, k < 2));
            System.out.println("spark barrier time split of the timed windows: " + barrier.timeSplit());
            System.out.println("spark barrier bucketValues=0 time split: " + afterPass.timeSplit());
        }
        sc.stop();
        for (int k = 0; k < 3; k++) {
            System.out.printf("big-model %s batch=%d samples_per_s=%.0f step_ms=%.1f%n", names[k], BATCH, best[k][0],
                    1e3 / best[k][1]);
        }
        System.out.printf("ratio big-model-spark-vs-inprocess=%.2f%n", best[1][0] / best[0][0]);
        System.out.printf("ratio big-model-spark-vs-inprocess-after-pass=%.2f (bucketValues=0)%n",
                best[2][0] / best[0][0]);
    }

    /** The default buckets, or the sums sent after the whole pass (spark.sparkprop.bucketValues = 0). */
    private static void overlap(JavaSparkContext sc, boolean on) {
        if (on) {
            sc.sc().conf().remove(BarrierProtocol.BUCKET_VALUES);
        } else {
            sc.sc().conf().set(BarrierProtocol.BUCKET_VALUES, "0");
        }
    }
}
