// The barrier protocol's exchange on its own: driver bytes and sync time per step as partitions grow.
package io.sparkprop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Usage: Exchange P... — for each P, Spark local[P] with P partitions and a 784-256-10 network (|θ| = 203,530)
 * but only 8 rows per partition and step, so moving θ and the sums dominates. Each protocol first warms up on
 * one engine, then a fresh engine trains {@link #EPOCHS} epochs and its summary.json figures are printed:
 * driver_bytes_per_step (counted on the driver's sockets, or broadcast payload plus task results) over 8·|θ|,
 * and sync_ms_per_step (which counts the job's start), with the first epoch's wall time (the job starts in it) and
 * the later epochs' wall time per step. Ends with the ratio of the barrier sync time at the last P to that at the
 * first.
 */
public final class Exchange {
    static final int EPOCHS = 6;
    static final int ROWS_PER_PARTITION_STEP = 8;
    static final int STEPS_PER_EPOCH = 8;

    private Exchange() {
    }

    public static void main(String[] args) {
        List<Double> sync = new ArrayList<>();
        for (String a : args) {
            int p = Integer.parseInt(a);
            Network net = Models.mlp(784, 256, 10);
            Dataset data = Models.synthetic(p * ROWS_PER_PARTITION_STEP * STEPS_PER_EPOCH, 784, 10, p);
            BatchPlan plan = new BatchPlan(data.rows, p * ROWS_PER_PARTITION_STEP, 42);
            JavaSparkContext sc = SparkContexts.start("local[" + p + "]", "sparkprop bench exchange", false, Map.of());
            try {
                for (String protocol : new String[] {"barrier", "driver"}) {
                    run(sc, net, data, plan, p, protocol, 2);
                    Map<String, Object> s = run(sc, net, data, plan, p, protocol, EPOCHS);
                    double vsTheta = ((Number) s.get("driver_bytes_per_step")).doubleValue() / (8.0 * net.paramCount());
                    double ms = ((Number) s.get("sync_ms_per_step")).doubleValue();
                    System.out.printf("exchange p=%d protocol=%s theta=%d driver_bytes_per_step=%s sync_ms_per_step=%.2f"
                                    + " first_epoch_ms=%.0f later_epochs_ms_per_step=%.2f%n",
                            p, protocol, net.paramCount(), s.get("driver_bytes_per_step"), ms, s.get("first_epoch_ms"),
                            s.get("later_ms_per_step"));
                    if (protocol.equals("barrier")) {
                        System.out.printf("ratio driver-bytes-per-step-vs-theta-p%d=%.2f%n", p, vsTheta);
                        sync.add(ms);
                    } else {
                        System.out.printf("driver-protocol-bytes-per-step-vs-theta-p%d=%.2f%n", p, vsTheta);
                    }
                }
            } finally {
                sc.stop();
            }
        }
        if (sync.size() > 1) {
            System.out.printf("ratio sync-ms-p%s-vs-p%s=%.2f%n", args[args.length - 1], args[0],
                    sync.get(sync.size() - 1) / sync.get(0));
        }
        System.exit(0);
    }

    static Map<String, Object> run(JavaSparkContext sc, Network net, Dataset data, BatchPlan plan, int p,
                                   String protocol, int epochs) {
        try (SparkEngine e = Runs.spark(sc, "exchange", "spark.partitions=" + p, "spark.protocol=" + protocol,
                "spark.storage-level=MEMORY_ONLY").create(net, data, null, null, plan)) {
            double[] params = Models.params(net, 42);
            double[] epochMs = new double[epochs];
            Updater u = Runs.adam(net, plan, 1e-3);
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t = System.nanoTime();
                e.trainEpoch(params, u, epoch, (long) epoch * plan.stepsPerEpoch());
                epochMs[epoch] = (System.nanoTime() - t) / 1e6;
            }
            e.release();
            Map<String, Object> summary = new java.util.HashMap<>(e.summary());
            double later = 0;
            for (int k = 1; k < epochs; k++) later += epochMs[k];
            summary.put("first_epoch_ms", epochMs[0]);
            summary.put("later_ms_per_step", epochs > 1 ? later / ((epochs - 1) * plan.stepsPerEpoch()) : 0.0);
            return summary;
        }
    }
}
