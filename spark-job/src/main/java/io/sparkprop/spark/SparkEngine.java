// train.engine = spark: broadcast the weights, every partition computes its share, a fixed-order tree sums.
package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;

/**
 * One step = one Spark job: broadcast θ → each cached {@link Block} runs the trainer's own
 * {@code Objective.lossAndGradient} on its rows of the global batch → {@link FixedOrderSum} → destroy the
 * broadcast. The driver holds only θ-sized arrays; training rows stay in the executors' cache.
 */
public final class SparkEngine implements Engine {
    private final JavaSparkContext sc;
    private final Network net;
    private final BatchPlan plan;
    private final int treeDepth;
    private final String runId = UUID.randomUUID().toString();
    private final String runName;
    private final String backend;
    private final JavaRDD<Block> train;
    private final JavaRDD<Block> validation;
    private final JavaRDD<Block> test;
    private final int partitions;
    /** Test-only fault injection: fail the first attempt of this (epoch, step, partition), or null. */
    private final int[] failFirstAttempt;
    private final StepTimer timer = new StepTimer();
    private final List<Broadcast<Block>> dataBroadcasts = new ArrayList<>();

    public SparkEngine(JavaSparkContext sc, Network net, Dataset train, Dataset validation, Dataset test,
                       BatchPlan plan, SparkSettings settings) {
        this(sc, net, plan, settings, null, train, validation, test);
    }

    /** Over blocks the executors already hold (data parsed there by {@link SparkData}). */
    public SparkEngine(JavaSparkContext sc, Network net, SparkData data, BatchPlan plan, SparkSettings settings) {
        this(sc, net, plan, settings, data, null, null, null);
    }

    private SparkEngine(JavaSparkContext sc, Network net, BatchPlan plan, SparkSettings settings, SparkData data,
                        Dataset train, Dataset validation, Dataset test) {
        this.sc = sc;
        this.net = net;
        this.plan = plan;
        this.treeDepth = settings.treeDepth();
        this.runName = settings.runName();
        this.backend = settings.backend();
        this.partitions = data != null ? data.train.getNumPartitions()
                : settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
        this.failFirstAttempt = settings.failFirstAttempt();
        timer.setPartitions(partitions);
        StorageLevel level = StorageLevel.fromString(settings.storageLevel());
        if (data != null) {
            this.train = data.train;
            this.validation = data.validation;
            this.test = data.test;
        } else {
            this.train = distribute(train, level, "train");
            this.validation = validation == null || validation.rows == 0 ? null : distribute(validation, level, "val");
            this.test = test == null || test.rows == 0 ? null : distribute(test, level, "test");
        }
    }

    /**
     * Each block travels once, as its own broadcast, and is cached on the executor that computes it. A task
     * then carries only the partition index (a parallelized collection would ship the rows with every task),
     * and a lost executor rebuilds its blocks from the broadcasts.
     */
    private JavaRDD<Block> distribute(Dataset d, StorageLevel level, String what) {
        Block[] blocks = Block.split(d, partitions);
        List<Broadcast<Block>> shipped = new ArrayList<>(partitions);
        for (Block b : blocks) shipped.add(sc.broadcast(b));
        dataBroadcasts.addAll(shipped);
        List<Integer> index = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) index.add(p);
        JavaRDD<Block> rdd = sc.parallelize(index, partitions).map(p -> shipped.get(p).value()).persist(level);
        rdd.setName("sparkprop " + runName + " " + what + " blocks");
        sc.setJobDescription("sparkprop " + runName + ": caching " + what + " data");
        rdd.count();
        return rdd;
    }

    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        timer.beginStep();
        Broadcast<double[]> bw = sc.broadcast(params);
        timer.broadcastDone();
        sc.setJobDescription("sparkprop " + runName + ": epoch " + (epoch + 1) + " step " + (step + 1) + "/"
                + plan.stepsPerEpoch());
        Network n = net;
        BatchPlan bp = plan;
        String id = runId;
        String be = backend;
        int[] fail = failFirstAttempt;
        JavaRDD<double[]> partials = train.map(block -> {
            if (fail != null && fail[0] == epoch && fail[1] == step && fail[2] == block.partition
                    && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of the first attempt (test hook)");
            }
            PartitionWorker w = PartitionWorker.get(id, block.partition, n, bp, be);
            return w.lossAndGradient(block, block.asDataset(null), bw.value(), epoch, step);
        });
        double[] sum = FixedOrderSum.sum(partials, treeDepth);
        bw.destroy();
        int p = params.length;
        FixedOrderSum.add(gradSum, sum);
        timer.stepDone(sum[p + 1]);
        // gradSum has room for P values only; the two trailing slots carried loss and compute time.
        return sum[p];
    }

    @Override
    public double[] evaluate(double[] params, Split split) {
        JavaRDD<Block> rdd = switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
        if (rdd == null) {
            return null;
        }
        Broadcast<double[]> bw = sc.broadcast(params);
        sc.setJobDescription("sparkprop " + runName + ": evaluate " + split.name().toLowerCase());
        Network n = net;
        BatchPlan bp = plan;
        String id = runId;
        String be = backend;
        JavaRDD<double[]> stats = rdd.map(block ->
                PartitionWorker.get(id, block.partition, n, bp, be).evaluate(block.asDataset(null), bw.value()));
        List<double[]> parts = stats.collect();
        bw.destroy();
        double[] acc = Metrics.newStats(net);
        for (double[] s : parts) Metrics.merge(acc, s);
        return acc;
    }

    @Override
    public BatchPlan plan() {
        return plan;
    }

    /** The kernel compute.backend resolves to (on the driver's machine; executors on alike nodes agree). */
    @Override
    public String backend() {
        return io.sparkprop.trainer.kernel.Kernels.create(backend).name();
    }

    public int partitions() {
        return partitions;
    }

    @Override
    public String timeSplit() {
        return timer.reportAndReset();
    }

    @Override
    public void close() {
        train.unpersist(false);
        if (validation != null) validation.unpersist(false);
        if (test != null) test.unpersist(false);
        for (Broadcast<Block> b : dataBroadcasts) b.destroy();
        PartitionWorker.forget(runId);
    }
}
