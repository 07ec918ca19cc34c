// train.engine = spark: broadcast the weights, every partition computes its share, a fixed-order tree sums.
package io.sparkprop.spark;

import java.util.List;
import java.util.UUID;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochSteps;

/**
 * Driver protocol, one step = one Spark job: broadcast θ → each cached {@link Block} runs the trainer's own
 * {@code Objective.lossAndGradient} on its rows of the global batch → {@link FixedOrderSum} → destroy the
 * broadcast; the driver's loop steps the optimizer. Barrier protocol, one barrier job per epoch or per run
 * ({@link BarrierTask}, {@link BarrierRun}): each step the tasks send their partial sums over a socket
 * ({@link StepServer}), the driver sums them in the same order and steps the same optimizer
 * ({@link StepExchange}), and sends θ back. The driver holds only θ-sized arrays; training rows stay in the
 * executors' cache.
 */
public final class SparkEngine implements Engine {
    /**
     * The driver port the barrier protocol's tasks connect to (a Spark conf: --conf spark.sparkprop.stepPort=N);
     * 0, the default, takes any free port — pin one where a firewall only opens known driver ports.
     */
    public static final String STEP_PORT = "spark.sparkprop.stepPort";
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
    /** spark.protocol resolved: true = one barrier job per epoch. */
    private final boolean barrier;
    /** The barrier protocol's rendezvous with the tasks; opened at the first barrier epoch. */
    private StepServer stepServer;
    /** The barrier job that is up, or null. */
    private BarrierRun run;

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
        try {
            this.barrier = barrier(sc, settings.protocol(), partitions);
        } catch (UserError e) {
            if (owns) data.close();
            throw e;
        }
    }

    /** Refuses spark.protocol = barrier where it cannot run, before any data is loaded or output written. */
    public static void checkProtocol(JavaSparkContext sc, String protocol, int partitions) {
        barrier(sc, protocol, partitions);
    }

    /** auto: barrier where the task slots are known to suffice (a local master with enough threads). */
    private static boolean barrier(JavaSparkContext sc, String protocol, int partitions) {
        boolean local = sc.isLocal();
        int slots = sc.defaultParallelism();
        return switch (protocol) {
            case "driver" -> false;
            case "auto" -> local && partitions <= slots;
            case "barrier" -> {
                if (local && partitions > slots) {
                    throw new UserError("spark.protocol = barrier runs a task per partition at once: "
                            + partitions + " partitions but " + sc.master() + " has " + slots
                            + " task slots (lower spark.partitions or set spark.protocol = driver)");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("unknown spark.protocol " + protocol);
        };
    }

    /** The protocol in use: "barrier" or "driver". */
    public String protocol() {
        return barrier ? "barrier" : "driver";
    }

    @Override
    public String details() {
        return partitions + " partitions, " + protocol() + " protocol";
    }

    /**
     * Barrier protocol. Without a validation split nothing needs a Spark job between epochs, so one barrier job
     * runs epoch after epoch: between two calls its tasks go on computing the next epoch's first step while the
     * training loop does its bookkeeping, and only the update waits. Evaluations, the driver protocol and
     * {@link #close} end the job first.
     */
    @Override
    public EpochSteps trainEpoch(double[] params, Updater updater, int epoch, long globalStep) {
        if (!barrier) {
            return null;
        }
        long t0 = System.nanoTime();
        if (run != null && run.exchange.continuesWith(epoch, params, updater, globalStep)) {
            run.exchange.resume();
        } else {
            endRun();
            StepServer server = stepServer(params.length);
            StepExchange exchange = new StepExchange(params, updater, plan, partitions, treeDepth, epoch, globalStep,
                    validation == null);
            int number = server.open(exchange);
            String what = validation == null ? "epochs from " + (epoch + 1) : "epoch " + (epoch + 1);
            run = new BarrierRun(sc, train, exchange, attempt -> new BarrierTask(server.host(), server.port(),
                    server.token(), number, net, plan, runId, backend, attempt, failFirstAttempt),
                    "sparkprop " + runName + ": " + what + " (barrier, " + plan.stepsPerEpoch() + " steps each)")
                    .start();
        }
        StepExchange.Epoch done;
        try {
            done = run.exchange.await(epoch, params);
        } catch (InterruptedException e) {
            endRun(); // before the flag is set again, or the wait for the job would return at once
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training epoch " + (epoch + 1), e);
        } catch (RuntimeException e) {
            endRun();
            throw e;
        }
        if (done.loss().length < plan.stepsPerEpoch() || run.exchange.ended()) {
            endRun();
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        timer.epochDone(wall, done.computeMs(), done.updateMs());
        return new EpochSteps(done.loss(), done.norm());
    }

    /**
     * Frees the task slots a barrier job spanning epochs holds between two {@link #trainEpoch} calls; the next
     * call starts a new job. For a caller that runs other Spark jobs in between (the engine's own evaluations
     * do this by themselves).
     */
    public void release() {
        endRun();
    }

    /** Ends a barrier job that is still up (its tasks hold every slot) and waits for it. */
    private void endRun() {
        if (run != null) {
            run.stop();
            run = null;
        }
    }

    private StepServer stepServer(int paramCount) {
        if (stepServer == null) {
            var conf = sc.getConf();
            String host = conf.get("spark.driver.host");
            String bind = conf.get("spark.driver.bindAddress", host);
            int port = conf.getInt(STEP_PORT, 0);
            try {
                stepServer = new StepServer(bind, port, host, paramCount);
            } catch (java.io.IOException e) {
                throw new UserError(STEP_PORT + ": cannot listen on " + bind + ":" + port + " for the barrier"
                        + " protocol (" + e.getMessage() + "); pick a free port or set spark.protocol = driver");
            }
        }
        return stepServer;
    }

    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        endRun();
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
        endRun();
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
        endRun();
        if (ownsData) {
            data.close();
        }
        PartitionWorker.forget(runId);
        if (stepServer != null) {
            try {
                stepServer.close();
            } catch (java.io.IOException ignored) {
                // Closing a listening socket: nothing to recover.
            }
        }
    }
}
