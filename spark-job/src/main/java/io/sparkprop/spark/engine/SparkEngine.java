// train.engine = spark: the run's cached blocks, the step protocol spark.protocol resolves to, and what it reports;
// evaluation jobs run through SplitEvaluator.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.data.TrainChunks;
import io.sparkprop.spark.exec.ChunkReads;
import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.spark.exec.FaultHook;
import io.sparkprop.spark.exec.PartitionWorker;
import io.sparkprop.spark.exec.ReductionTree;
import io.sparkprop.spark.exec.StepTimer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochSteps;
import io.sparkprop.trainer.train.PoolLanes;
import io.sparkprop.trainer.train.Step;

/**
 * Two protocols, each in its own class, compute the same bits for a fixed spark.partitions: {@link DriverProtocol}
 * (one job per step) and {@link BarrierProtocol} (one barrier job for the run; the tasks sum up a tree and only
 * the root talks to the driver). Both add partial sums in the {@link ReductionTree}'s order and are the
 * {@link Step.Sums} of the trainer's one {@link Step#epoch}, run on the training loop's thread, which alone
 * steps θ and the optimizer; evaluations merge their statistics in the same order, so validation inside the
 * barrier job equals a driver-side evaluation. The driver holds only θ-sized arrays; training rows stay in the
 * executors' cache. Under train.shuffle = chunks the training blocks are cut once into {@link TrainChunks}, blocks
 * that may spill to disk, and the protocols' tasks run over the partitions' chunk refs instead; validation and
 * test rows streamed from the input are cut and evaluated the same way ({@link SplitRows}).
 */
public final class SparkEngine implements Engine, Step.Sums {
    private final JavaSparkContext sc;
    private final Network net;
    private final BatchPlan plan;
    private final String runId = UUID.randomUUID().toString();
    private final String runName;
    private final Backend backend;
    /**
     * What the executors run for compute.backend, asked in the constructor: later a barrier job may hold every
     * task slot, and the probe job would wait for it.
     */
    private final KernelCensus census;
    private boolean warned;
    /**
     * What the tasks run over: each split's blocks, or under train.shuffle = chunks chunk refs (the training rows'
     * steps, and the splits streamed from the input).
     */
    private final SplitRows rows;
    /** The training chunks' bytes {in memory, on disk} as the engine closed (summary() is read after close). */
    private long[] chunkBytes;
    /** Where the tasks found their training chunks, or null. */
    private final ChunkReads reads;
    private final int partitions;
    private final int treeDepth;
    private final DistributedData data;
    private final boolean ownsData;
    private final ProtocolChoice choice;
    private final DriverProtocol driver;
    /** The barrier protocol, or null when spark.protocol resolved to driver. */
    private final BarrierProtocol barrier;
    private final RunListener listener;
    private final double[] grad;
    /** The driver's threads for the update it applies while the tasks wait (both protocols). */
    private final PoolLanes driverLanes = PoolLanes.ofThreads(Math.min(4, Runtime.getRuntime().availableProcessors()),
            "sparkprop-update");
    private final Lanes lanes;
    private final SplitEvaluator evaluator;

    /**
     * Over blocks the executors already hold, with spark.protocol already resolved for their partitions; built by
     * {@link EngineFactory}. {@code owns} says whether closing the engine drops the blocks (a sweep shares one
     * copy between its trials).
     */
    public SparkEngine(JavaSparkContext sc, Network net, DistributedData data, boolean owns, BatchPlan plan,
                       SparkSettings settings, ProtocolChoice choice) {
        this.sc = sc;
        this.net = net;
        this.plan = plan;
        this.runName = settings.runName();
        this.backend = settings.backend();
        this.data = data;
        this.ownsData = owns;
        this.partitions = data.partitions();
        this.treeDepth = settings.treeDepth();
        this.grad = new double[net.paramCount()];
        this.lanes = driverLanes.forParams(net.paramCount());
        this.choice = choice;
        SplitRows cut = null;
        // A start that fails (a cut, or a protocol refusing its settings) drops the chunks cut, the owned data and
        // the update threads.
        try {
            cut = SplitRows.of(sc, data, owns, plan, settings.storageLevel(), runName);
            this.census = KernelCensus.take(cut.train, backend);
            this.rows = cut;
            this.reads = cut.trainChunks != null ? new ChunkReads(sc.sc(), runName) : null;
            FaultHook faults = FaultHook.of(settings.failFirstAttempt());
            boolean float32 = settings.float32();
            this.evaluator = new SplitEvaluator(sc, net, plan, runId, runName, backend, float32);
            this.driver = new DriverProtocol(sc, net, plan, rows.train, settings.treeDepth(), runId, runName,
                    backend, faults, float32, reads);
            this.barrier = choice.barrier() ? new BarrierProtocol(sc, net, plan, rows.train, rows.validation, runId,
                    runName, backend, faults, float32, lanes, reads) : null;
        } catch (RuntimeException e) {
            if (cut != null) cut.close();
            if (owns) data.close();
            driverLanes.close();
            throw e;
        }
        this.listener = new RunListener(runId);
        sc.sc().addSparkListener(listener);
    }

    /** The protocol in use: "barrier" or "driver" (its config spelling, as summary.json has it). */
    public String protocol() {
        return choice.protocol().id();
    }

    @Override
    public String details() {
        return partitions + " partitions, " + protocol() + " protocol (" + choice.reason() + ")";
    }

    @Override
    public EpochSteps trainEpoch(double[] params, Updater updater, int epoch, long globalStep) {
        if (barrier != null) {
            sc.setLocalProperty(RunListener.RUN, runId); // the barrier job's thread inherits it
            return barrier.trainEpoch(params, updater, epoch, globalStep);
        }
        return Step.epoch(driver, updater, plan, params, grad, epoch, globalStep, lanes);
    }

    /**
     * One step's sums through the driver protocol, whatever protocol trains: what L-BFGS's line search asks for
     * (its evaluations come one at a time from the driver) and what tests comparing engines step by step call. A
     * barrier job that is up is ended first.
     */
    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        release();
        return driver.lossAndGradient(params, epoch, step, gradSum);
    }

    /** Σ w of the last {@link #lossAndGradient} call's rows (the driver protocol's weight slot). */
    @Override
    public double lastWeightSum() {
        return driver.lastWeightSum();
    }

    /**
     * Frees the task slots a barrier job spanning epochs holds between two {@link #trainEpoch} calls; the next
     * call starts a new job. For a caller that runs other Spark jobs in between (the engine's own evaluations
     * do this by themselves).
     */
    public void release() {
        if (barrier != null) {
            barrier.release();
        }
    }

    /**
     * Statistics of a split, merged in the {@link ReductionTree}'s order. The validation statistics of the epoch
     * just trained come from the barrier job itself when it computed them for exactly these weights.
     */
    @Override
    public double[] evaluate(double[] params, Split split) {
        JavaRDD<? extends TrainRows> rdd = switch (split) {
            case TRAIN -> rows.train;
            case VALIDATION -> rows.validation;
            case TEST -> rows.test;
        };
        if (rdd == null) {
            return null;
        }
        if (split == Split.VALIDATION && barrier != null) {
            double[] inJob = barrier.validationMetrics(params);
            if (inJob != null) {
                return inJob;
            }
        }
        release();
        return evaluator.rows(rdd, split == Split.TRAIN ? reads : null, params, split.name().toLowerCase());
    }

    /**
     * What summary.json reports about the Spark side of the run, for the CLI and a Spark ML fit alike (the byte
     * and time figures measured, not derived from a formula).
     */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partitions", partitions);
        m.put("spark_master", sc.master());
        m.put("spark_version", sc.version());
        m.put("tree_depth", treeDepth);
        m.put("spark_protocol", protocol());
        m.put("spark_protocol_reason", choice.reason());
        double bytes = barrier != null ? barrier.bytesPerStep()
                : driver.steps() == 0 ? 0 : driver.broadcastBytesPerStep() + (double) listener.resultBytes()
                        / driver.steps();
        m.put("driver_bytes_per_step", Math.round(bytes));
        m.put("driver_bytes_per_step_vs_theta", bytes / (8.0 * net.paramCount()));
        m.put("sync_ms_per_step", timer().syncMsPerStep());
        m.putAll(census().summary());
        if (barrier != null) {
            m.put("barrier_attempts", 1 + barrier.failedAttempts());
            m.put("validation_in_barrier_job", barrier.validatesInJob());
        }
        if (rows.trainChunks != null) {
            long[] stored = chunkBytes != null ? chunkBytes : rows.trainChunks.storedBytes();
            m.put("chunk_rows", plan.chunkRows);
            m.put("train_chunk_bytes_memory", stored[0]);
            m.put("train_chunk_bytes_disk", stored[1]);
            m.put("executor_storage_bytes", TrainChunks.executorStorageBytes(sc));
            long[] n = reads.counts();
            Map<String, Long> where = new LinkedHashMap<>();
            where.put("memory", n[0]);
            where.put("disk", n[1]);
            where.put("network", n[2]);
            m.put("chunk_reads", where);
        }
        m.put("failed_tasks", listener.failedTasks());
        m.put("executors_lost", listener.executorsLost());
        return m;
    }

    @Override
    public BatchPlan plan() {
        return plan;
    }

    /**
     * The kernels compute.backend resolves to on the executors that hold the partitions (KernelCensus, taken when
     * the engine starts); when they differ, the warning goes to stderr (once) and into summary.json.
     */
    @Override
    public String backend() {
        return census().backend();
    }

    private KernelCensus census() {
        if (!warned && census.warning() != null) {
            warned = true;
            System.err.println("sparkprop: warning: " + census.warning());
        }
        return census;
    }

    public int partitions() {
        return partitions;
    }

    @Override
    public String timeSplit() {
        return timer().reportAndReset();
    }

    /** The timer of the protocol that trains. */
    private StepTimer timer() {
        return barrier != null ? barrier.timer() : driver.timer();
    }

    @Override
    public void close() {
        if (barrier != null) {
            barrier.close();
        }
        sc.sc().removeSparkListener(listener);
        if (rows.trainChunks != null) {
            chunkBytes = rows.trainChunks.storedBytes();
        }
        rows.close();
        if (ownsData) {
            data.close();
        }
        PartitionWorker.forget(runId);
        driverLanes.close();
    }
}
