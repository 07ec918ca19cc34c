// The JVM side of `cnn-vs-torch-fp32`: in-process float32 training samples/s of conf/fashion-mnist-cnn.conf's
// network at each of several thread counts, one engine per count, all in one JVM over one copy of the data.
package io.sparkprop.bench;

import java.nio.file.Path;
import java.util.List;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.PreparedData;

/**
 * Usage: CnnBench BACKEND BATCH SECONDS THREADS[,THREADS...]. Prints, per thread count in the order given,
 * "cnn backend=... kernel=... precision=float32 batch=B threads=T samples_per_s=x". Timed as
 * scripts/bench/torch_cnn.py: per count 1 s of warm-up (plus one untimed epoch for the JIT on the first), then
 * the best of two windows of SECONDS/2; Adam 1e-3, dropout as configured, loading and JIT outside the clock.
 */
public final class CnnBench {
    private CnnBench() {
    }

    public static void main(String[] args) {
        Backend backend = Ratios.backend(args[0]);
        int batch = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(Path.of("conf/fashion-mnist-cnn.conf"),
                List.of("compute.precision=float32", "train.batch-size=" + batch)));
        PreparedData d = PreparedData.load(cfg, System.err);
        Network net = d.network(cfg);
        // Epochs of 8 steps over the first 8·B rows: windows end on epoch boundaries (Stepper), and a step costs
        // the same on any rows.
        Dataset train = d.train.slice(0, Math.min(d.train.rows, 8 * batch));
        BatchPlan plan = new BatchPlan(train.rows, batch, 42);
        boolean first = true;
        for (String t : args[3].split(",")) {
            int threads = Integer.parseInt(t);
            try (LocalEngine e = new LocalEngine(net, train, null, null, plan, () -> backend.gemm(), threads)) {
                Stepper s = new Stepper(e, net, Models.params(net, 42));
                s.window(first ? 3 : 1);
                first = false;
                double[] r = s.best(2, seconds / 2);
                System.out.printf("cnn backend=%s kernel=%s precision=float32 batch=%d threads=%d samples_per_s=%.0f%n",
                        backend, e.backend(), batch, threads, r[0]);
            }
        }
        System.exit(0);
    }
}
