// The measurements behind scripts/bench.sh: throughput in-process and on Spark, MLlib time to accuracy,
// epoch-time linearity in rows and the cached-data footprint. Prints "key=value" lines for the script.
package io.sparkprop.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.PreparedData;

/**
 * Usage: Ratios MODE [options], MODE one of
 * <pre>
 *   inprocess BACKEND BATCH SECONDS [PRECISION] [THREADS]
 *                                        training samples/s on Fashion-MNIST, 784-256-128-10, Adam, all cores
 *                                        (or THREADS), float64 or float32 (compute.precision)
 *   spark BACKEND SECONDS                Spark local[2] vs in-process at global batch 4096 (+ per-step overhead)
 *   big-model BACKEND SECONDS [spark.k=v...]  the same for a 12M-weight network ({@link BigModel})
 *   early-forward MASTER BACKEND SECONDS [spark.k=v...]  that network's barrier steps on a cluster with the
 *                                        forward pass starting as θ arrives, and without ({@link EarlyForward})
 *   mllib ITERATIONS                     MLlib MLP fit time (784-128-10, L-BFGS) vs our Spark engine's time to
 *                                        its validation accuracy ({@link TimeToAccuracy})
 *   linearity ROWS...                    in-process epoch seconds on synthetic rows (64-128-10, batch 256)
 *   batch-norm BACKEND SECONDS           step time with two batch-norm layers vs without, in process and under
 *                                        each Spark protocol ({@link BatchNormBench})
 * </pre>
 * Throughput windows time training steps only: data loading, JIT warm-up and evaluations stay outside the clock.
 */
public final class Ratios {
    private static final int THREADS = Runtime.getRuntime().availableProcessors();

    private Ratios() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "inprocess" -> inProcess(backend(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    args.length > 4 ? args[4] : "float64", args.length > 5 ? Integer.parseInt(args[5]) : THREADS);
            case "spark" -> spark(backend(args[1]), Double.parseDouble(args[2]));
            case "big-model" -> BigModel.run(backend(args[1]), Double.parseDouble(args[2]),
                    Arrays.copyOfRange(args, 3, args.length));
            case "early-forward" -> EarlyForward.run(Arrays.copyOfRange(args, 1, args.length));
            case "mllib" -> TimeToAccuracy.run(Integer.parseInt(args[1]));
            case "batch-norm" -> BatchNormBench.run(backend(args[1]), Double.parseDouble(args[2]));
            case "linearity" -> linearity(Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray());
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    /** A compute.backend spelling ("blas-bundled") as its constant. */
    static Backend backend(String id) {
        return Backend.valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static void inProcess(Backend backend, int batch, double seconds, String precision, int threads) {
        PreparedData d = Runs.fashion();
        boolean f32 = precision.equals("float32");
        Network net = Models.mlp(Models.FASHION).withFloat32(f32);
        var train = f32 ? d.train.toFloat32() : d.train;
        BatchPlan plan = new BatchPlan(d.train.rows, batch, 42);
        try (LocalEngine e = new LocalEngine(net, train, null, null, plan, () -> backend.gemm(), threads)) {
            double[] r = Stepper.throughput(e, net, Models.params(net, 42), 3, seconds);
            System.out.printf("inprocess backend=%s kernel=%s precision=%s batch=%d threads=%d samples_per_s=%.0f%n",
                    backend, e.backend(), precision, batch, threads, r[0]);
        }
    }

    /**
     * Spark local[2] (the default protocol there: barrier, one job spanning epochs, restarted each window here
     * since the engines take turns with the slots; and the driver protocol, one job per step) against the
     * in-process engine on 2 threads, over one cached copy of the data.
     */
    static void spark(Backend backend, double seconds) {
        PreparedData d = Runs.fashion();
        Network net = Models.mlp(Models.FASHION);
        int batch = 4096;
        BatchPlan plan = new BatchPlan(d.train.rows, batch, 42);
        JavaSparkContext sc = SparkContexts.start("local[2]", "sparkprop bench", false, Map.of());
        String[] names = {"in-process", "spark barrier", "spark driver"};
        String[] keys = {"spark.partitions=2", "spark.storage-level=MEMORY_ONLY", "compute.backend=" + backend};
        EngineFactory auto = Runs.spark(sc, "bench", with(keys, "spark.protocol=auto"));
        EngineFactory driverProtocol = Runs.spark(sc, "bench", with(keys, "spark.protocol=driver"));
        // The engines live side by side and alternate short windows, so all see the same outside load.
        try (DistributedData data = auto.ship(d.train, null, null);
             LocalEngine le = new LocalEngine(net, d.train, null, null, plan, () -> backend.gemm(), 2);
             SparkEngine barrier = auto.create(net, data, plan);
             SparkEngine driver = driverProtocol.create(net, data, plan)) {
            long cached = 0;
            for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
                if (info.name() != null && info.name().contains("train blocks")) cached += info.memSize();
            }
            double raw = 8.0 * d.train.rows * (d.train.features + d.train.targets);
            System.out.printf("cached bytes=%d raw_doubles_bytes=%.0f%n", cached, raw);
            System.out.printf("ratio cached-vs-raw-doubles=%.3f%n", cached / raw);
            try (DistributedData f32 = Runs.spark(sc, "bench-float32", keys).ship(d.train.toFloat32(), null, null)) {
                long c32 = 0;
                for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
                    String n = info.name();
                    if (n != null && n.contains("bench-float32 train blocks")) c32 += info.memSize();
                }
                System.out.printf("ratio cached-float32-vs-raw-doubles=%.3f (compute.precision = float32)%n",
                        c32 / raw);
            }
            System.out.println("spark.protocol auto on local[2] with 2 partitions = " + barrier.protocol());
            double[][] best = Stepper.alternate(new Engine[] {le, barrier, driver}, net, names, 2, 4, seconds,
                    k -> { });
            System.out.println("spark barrier time split of the timed windows: " + barrier.timeSplit());
            System.out.println("spark driver time split of the timed windows: " + driver.timeSplit());
            for (int k = 0; k < 3; k++) {
                System.out.printf("%s batch=%d samples_per_s=%.0f step_ms=%.1f%n", names[k], batch, best[k][0],
                        1e3 / best[k][1]);
            }
            System.out.printf("spark-per-step-overhead-ms=%.1f (driver protocol: %.1f)%n",
                    1e3 / best[1][1] - 1e3 / best[0][1], 1e3 / best[2][1] - 1e3 / best[0][1]);
            System.out.printf("ratio spark-vs-inprocess=%.2f%n", best[1][0] / best[0][0]);
            System.out.printf("ratio spark-driver-protocol-vs-inprocess=%.2f%n", best[2][0] / best[0][0]);
        }
        sc.stop();
    }

    static void linearity(int[] sizes) {
        Network net = Models.mlp(64, 128, 10);
        double prev = Double.NaN;
        int prevRows = 0;
        boolean warmed = false;
        for (int rows : sizes) {
            io.sparkprop.trainer.data.Dataset d = Models.synthetic(rows, 64, 10, rows);
            BatchPlan plan = new BatchPlan(rows, 256, 1);
            try (LocalEngine e = new LocalEngine(net, d, null, null, plan, () -> Backend.AUTO.gemm(), THREADS)) {
                double[] params = Models.params(net, 1);
                Updater u = Runs.adam(net, plan, 1e-3);
                if (!warmed) {
                    epoch(e, plan, u, params, 0);
                    warmed = true;
                }
                long t0 = System.nanoTime();
                epoch(e, plan, u, params, 1);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("epoch rows=%d seconds=%.3f%n", rows, s);
                if (!Double.isNaN(prev)) {
                    System.out.printf("epoch-time-ratio rows=%d/%d time_ratio=%.2f per_row_ratio=%.3f%n", rows,
                            prevRows, s / prev, s / prev / ((double) rows / prevRows));
                }
                prev = s;
                prevRows = rows;
            }
        }
    }

    private static String[] with(String[] keys, String key) {
        String[] all = Arrays.copyOf(keys, keys.length + 1);
        all[keys.length] = key;
        return all;
    }

    private static void epoch(LocalEngine e, BatchPlan plan, Updater u, double[] params, int epoch) {
        e.trainEpoch(params, u, epoch, (long) epoch * plan.stepsPerEpoch());
    }
}
