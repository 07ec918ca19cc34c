// train.engine = spark: broadcast the weights, every partition computes its share, a fixed-order tree sums.
package io.sparkprop.spark;

import java.util.List;
import java.util.UUID;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

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
    private final DistributedData data;
    private final boolean ownsData;

    /** Over splits held on the driver: they are shipped once and dropped again when the engine closes. */
    public SparkEngine(JavaSparkContext sc, Network net, Dataset train, Dataset validation, Dataset test,
                       BatchPlan plan, SparkSettings settings) {
        this(sc, net, DistributedData.of(sc, train, validation, test,
                settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism(), settings.storageLevel(),
                settings.runName()), true, plan, settings);
    }

    /**
     * Over blocks the executors already hold; {@code owns} says whether closing the engine drops them (a sweep
     * shares one copy between its trials).
     */
    public SparkEngine(JavaSparkContext sc, Network net, DistributedData data, boolean owns, BatchPlan plan,
                       SparkSettings settings) {
        this.sc = sc;
        this.net = net;
        this.plan = plan;
        this.treeDepth = settings.treeDepth();
        this.runName = settings.runName();
        this.backend = settings.backend();
        this.data = data;
        this.ownsData = owns;
        this.train = data.train;
        this.validation = data.validation;
        this.test = data.test;
        this.partitions = data.partitions();
        this.failFirstAttempt = settings.failFirstAttempt();
        timer.setPartitions(partitions);
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
        if (ownsData) {
            data.close();
        }
        PartitionWorker.forget(runId);
    }
}
