// The early-forward bench line: the 12M-weight network's barrier steps with the forward pass starting as θ arrives.
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

/**
 * {@link BigModel}'s network, rows and batch on the master given (a standalone cluster, where θ comes down
 * sockets: with local[N] every link is in memory and there is nothing to start early on), 2 partitions, barrier
 * protocol: one engine with spark.sparkprop.earlyForward on and one with it off, alternating windows, 3 rounds,
 * a line per round and the best of each. Extra "spark.key=value" arguments go to the SparkContext (e.g.
 * spark.jars, spark.executor.extraJavaOptions).
 */
final class EarlyForward {
    private EarlyForward() {
    }

    /** MASTER BACKEND SECONDS [spark.key=value...]: the line alone (Ratios early-forward runs the same). */
    public static void main(String[] args) {
        run(args);
        System.exit(0);
    }

    static void run(String[] args) {
        Backend backend = Ratios.backend(args[1]);
        double seconds = Double.parseDouble(args[2]);
        Map<String, String> conf = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            conf.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Network net = Models.mlp(BigModel.SIZES);
        Dataset rows = Models.synthetic(BigModel.ROWS, BigModel.SIZES[0], BigModel.SIZES[BigModel.SIZES.length - 1],
                7);
        BatchPlan plan = new BatchPlan(rows.rows, BigModel.BATCH, 42);
        JavaSparkContext sc = SparkContexts.start(args[0], "sparkprop bench early forward", false, conf);
        String[] names = {"earlyForward=true", "earlyForward=false"};
        double[][] best;
        EngineFactory barrierProtocol = Runs.spark(sc, "bench-early", "spark.partitions=2",
                "spark.storage-level=MEMORY_ONLY", "compute.backend=" + backend, "spark.protocol=barrier");
        try (DistributedData data = barrierProtocol.ship(rows, null, null);
             SparkEngine early = barrierProtocol.create(net, data, plan);
             SparkEngine whole = barrierProtocol.create(net, data, plan)) {
            System.out.printf("early forward %s: %d parameters, batch %d, %d rows, master %s, spark conf %s%n",
                    java.util.Arrays.toString(BigModel.SIZES), net.paramCount(), BigModel.BATCH, rows.rows, args[0],
                    conf.keySet());
            // The protocol reads the setting at each job's start (SparkContext.conf is what it copies).
            best = Stepper.alternate(new Engine[] {early, whole}, net, names, 0, 3, seconds,
                    k -> sc.sc().conf().set(BarrierProtocol.EARLY_FORWARD, String.valueOf(k == 0)));
            System.out.println("earlyForward=true time split: " + early.timeSplit());
            System.out.println("earlyForward=false time split: " + whole.timeSplit());
        }
        sc.stop();
        for (int k = 0; k < 2; k++) {
            System.out.printf("big-model-cluster %s batch=%d samples_per_s=%.0f step_ms=%.1f%n", names[k],
                    BigModel.BATCH, best[k][0], 1e3 / best[k][1]);
        }
        System.out.printf("ratio big-model-cluster-early-forward=%.2f%n", best[0][0] / best[1][0]);
    }
}
