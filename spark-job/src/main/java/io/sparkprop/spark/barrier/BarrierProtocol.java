// spark.protocol = barrier on the driver: one barrier job runs the epochs, the tasks' tree sums every step.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.exec.ChunkReads;
import io.sparkprop.spark.exec.FaultHook;
import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.spark.exec.StepTimer;
import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.EpochSteps;
import io.sparkprop.trainer.train.Step;

/**
 * One barrier job serves the whole run: its tasks go from epoch to epoch, and with a validation split they
 * evaluate their validation rows after each epoch (a cached block, or chunk blocks read one after another, which
 * may sit on disk) and send the statistics up the same tree, so the training loop's early stopping needs no Spark
 * job in between. The training loop steps θ and the optimizer on its own thread through {@link Step#epoch}, as
 * under the driver protocol, with {@link BarrierSums} fetching each step's sum from the tree. Between two
 * {@link #trainEpoch} calls the tasks already compute the next epoch's first step from the θ the last epoch ended
 * with; if the next call brings another θ (or epoch), a new job starts. Only when the validation rows are
 * partitioned unlike the training rows does each epoch get a job of its own (and validation a job after it). A
 * failed task makes {@link BarrierRun} re-submit the job, and the loop steps the epoch in progress again from its
 * start.
 */
public final class BarrierProtocol implements AutoCloseable {
    /**
     * The driver port the root task connects to (a Spark conf: --conf spark.sparkprop.stepPort=N); 0, the
     * default, takes any free port — pin one where a firewall only opens known driver ports.
     */
    public static final String STEP_PORT = "spark.sparkprop.stepPort";
    /**
     * Whether tree neighbours in one JVM (every task under local[N], tasks sharing a multi-core executor) link
     * in memory rather than through a loopback socket (--conf spark.sparkprop.memoryLinks=false to keep sockets):
     * the same bits, without four copies of every array per link.
     */
    public static final String MEMORY_LINKS = "spark.sparkprop.memoryLinks";
    /**
     * Values per bucket of a step's gradient sent up the tree during the backward pass, last layer first
     * (--conf spark.sparkprop.bucketValues=N; 0 sends the sums after the whole pass): the exchange overlaps the
     * compute, with the same bits for every N.
     */
    public static final String BUCKET_VALUES = "spark.sparkprop.bucketValues";
    /** {@link #BUCKET_VALUES}' default: 2 MB of doubles, four socket chunks. */
    public static final int DEFAULT_BUCKET_VALUES = 262_144;
    /**
     * Whether a task fed θ through a socket starts its next forward pass as θ's first layers arrive (default
     * true; --conf spark.sparkprop.earlyForward=false waits for the whole θ first): the same bits either way.
     */
    public static final String EARLY_FORWARD = "spark.sparkprop.earlyForward";

    private final JavaSparkContext sc;
    private final Network net;
    private final BatchPlan plan;
    private final JavaRDD<TrainRows[]> blocks;
    private final boolean inJobMetrics;
    /** One job for the whole run (no validation, or validation inside it); else one job per epoch. */
    private final boolean spans;
    private final int partitions;
    private final String runId;
    private final String runName;
    private final Backend backend;
    private final FaultHook faults;
    private final boolean float32;
    private final BarrierStepTimer timer = new BarrierStepTimer();
    private final Lanes lanes;
    /** Where the tasks found their chunks (train.shuffle = chunks), else null. */
    private final ChunkReads reads;
    /** The training loop's scratch buffer for Σ gradient. */
    private final double[] grad;
    private StepServer stepServer;
    /** The job of the current run and the loop's side of its exchange; both null between runs. */
    private BarrierRun run;
    private BarrierSums sums;
    /** Validation statistics of the last epoch trained (computed under the θ it ended with), or null. */
    private double[] lastMetrics;
    private BarrierSums lastMetricsFrom;
    private int failedAttempts;
    private long steps;

    /** Task-to-task links made in memory in this JVM so far ({@link #MEMORY_LINKS}); for tests and diagnostics. */
    public static long memoryLinksMade() {
        return MemoryWire.accepted();
    }

    /** Tasks in this JVM so far whose forward pass started while θ came down ({@link #EARLY_FORWARD}); for tests. */
    public static long earlyForwardTasks() {
        return Downward.made();
    }

    public BarrierProtocol(JavaSparkContext sc, Network net, BatchPlan plan, JavaRDD<? extends TrainRows> train,
                           JavaRDD<? extends TrainRows> validation, String runId, String runName, Backend backend,
                           FaultHook faults, boolean float32, Lanes lanes, ChunkReads reads) {
        this.sc = sc;
        this.net = net;
        this.plan = plan;
        this.partitions = train.getNumPartitions();
        this.inJobMetrics = validation != null && validation.getNumPartitions() == partitions;
        this.spans = validation == null || inJobMetrics;
        this.blocks = tasksInput(train, inJobMetrics ? validation : null);
        this.runId = runId;
        this.runName = runName;
        this.backend = backend;
        this.faults = faults;
        this.float32 = float32;
        this.lanes = lanes;
        this.reads = reads;
        this.grad = new double[net.paramCount()];
        bucketValues(); // a bad setting fails here, before any job (each job's start reads it again)
    }

    /**
     * Each task's input: {its training rows} or {its training rows, its validation rows}; either is a block or
     * (train.shuffle = chunks) a chunk ref.
     */
    private static <T extends TrainRows, V extends TrainRows> JavaRDD<TrainRows[]> tasksInput(JavaRDD<T> train,
                                                                                              JavaRDD<V> validation) {
        if (validation != null) {
            return train.zipPartitions(validation,
                    (t, v) -> List.<TrainRows[]>of(new TrainRows[] {t.next(), v.next()}).iterator());
        }
        return train.map(b -> new TrainRows[] {b});
    }

    /** Whether the run's validation statistics come from the barrier job itself. */
    public boolean validatesInJob() {
        return inJobMetrics;
    }

    /**
     * The steps of {@code epoch} on this thread, θ and the optimizer stepped in place. If they fail, θ and the
     * optimizer are back where the epoch started; if only the in-job validation after them fails, they stay after
     * the last step.
     */
    public EpochSteps trainEpoch(double[] params, Updater updater, int epoch, long globalStep) {
        long t0 = System.nanoTime();
        lastMetrics = null;
        if (sums == null || !sums.continuesWith(epoch, params)) {
            release();
            startRun(params, epoch);
        }
        BarrierSums s = sums;
        EpochSteps done;
        try {
            done = s.epoch(updater, params, grad, epoch, globalStep, lanes);
        } catch (RuntimeException e) {
            release();
            s.restore(params, updater);
            throw rethrown(e, epoch);
        }
        boolean whole = done.loss().length == plan.stepsPerEpoch();
        try {
            if (whole && spans) {
                s.finishEpoch(params, inJobMetrics);
                if (inJobMetrics) {
                    lastMetrics = s.metrics(epoch);
                    lastMetricsFrom = s;
                }
            }
        } catch (RuntimeException e) {
            release();
            throw rethrown(e, epoch);
        }
        steps += done.loss().length;
        if (!whole || !spans || run.exchange.ended()) {
            // Cut short (the loop reports the divergence) or one job per epoch: the tasks stop.
            release();
        }
        timer.epochDone((System.nanoTime() - t0) / 1e6, s.computeMs(), s.updateMs(), done.loss().length);
        return done;
    }

    /** A new job from {@code params} at {@code epoch}: its exchange, and the loop's side of it. */
    private void startRun(double[] params, int epoch) {
        StepServer server = stepServer();
        EpochStart start = new EpochStart(params);
        int norms = PartialLayout.of(net).norms();
        // batch-norm's exchanges use the tree's links mid-pass, so its step sums go up after the pass, unbucketed
        int bucketValues = norms > 0 ? 0 : bucketValues();
        StepExchange exchange = new StepExchange(start.theta(), partitions, epoch,
                inJobMetrics ? Metrics.newStats(net).length : 0, float32, bucketValues, norms);
        sums = new BarrierSums(exchange, start, plan, partitions, net);
        int number = server.open(exchange);
        String what = spans ? "epochs from " + (epoch + 1) : "epoch " + (epoch + 1);
        String address = server.address();
        long[] token = server.token();
        boolean memory = sc.getConf().getBoolean(MEMORY_LINKS, true);
        boolean earlyForward = sc.getConf().getBoolean(EARLY_FORWARD, true);
        run = new BarrierRun(sc, blocks, exchange, attempt -> new BarrierTask(address, token, number, net, plan,
                runId, backend, attempt, faults, float32, memory, reads, bucketValues, earlyForward),
                "sparkprop " + runName + ": " + what + " (barrier, " + plan.stepsPerEpoch() + " steps each)")
                .start();
    }

    private int bucketValues() {
        String v = sc.getConf().get(BUCKET_VALUES, String.valueOf(DEFAULT_BUCKET_VALUES));
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new UserError(BUCKET_VALUES + " must be a whole number of values ≥ 0 (0: send after the backward"
                + " pass), not '" + v + "'");
    }

    /** An interrupted wait becomes an IllegalStateException with the thread's flag set again (after release). */
    private static RuntimeException rethrown(RuntimeException e, int epoch) {
        if (e instanceof BarrierSums.Interrupted) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while training epoch " + (epoch + 1), e.getCause());
        }
        return e;
    }

    /**
     * The last epoch's validation statistics if they were computed with exactly {@code params} (the θ that epoch
     * ended with), else null.
     */
    public double[] validationMetrics(double[] params) {
        return lastMetrics != null && lastMetricsFrom.finishedWith(params) ? lastMetrics.clone() : null;
    }

    /**
     * Frees the task slots a barrier job spanning epochs holds between two {@link #trainEpoch} calls; the next
     * call starts a new job.
     */
    public void release() {
        if (run != null) {
            run.stop();
            failedAttempts += Math.max(0, run.exchange.attempts() - 1);
            run = null;
            sums = null;
        }
    }

    /** Attempts that failed so far, over every barrier job of the run (counting the one still up). */
    public int failedAttempts() {
        return failedAttempts + (run == null ? 0 : Math.max(0, run.exchange.attempts() - 1));
    }

    /** How this protocol's epochs split into compute, sync and update. */
    public StepTimer timer() {
        return timer;
    }

    /** Bytes the driver moved on its step sockets per step applied (θ down, S(0) up, the framing). */
    public double bytesPerStep() {
        return steps == 0 || stepServer == null ? 0 : (double) stepServer.bytes() / steps;
    }

    private StepServer stepServer() {
        if (stepServer == null) {
            var conf = sc.getConf();
            String host = conf.get("spark.driver.host");
            String bind = conf.get("spark.driver.bindAddress", host);
            int port = conf.getInt(STEP_PORT, 0);
            try {
                stepServer = new StepServer(bind, port, host);
            } catch (IOException e) {
                throw new UserError(STEP_PORT + ": cannot listen on " + bind + ":" + port + " for the barrier"
                        + " protocol (" + e.getMessage() + "); pick a free port or set spark.protocol = driver");
            }
        }
        return stepServer;
    }

    @Override
    public void close() {
        release();
        if (stepServer != null) {
            try {
                stepServer.close();
            } catch (IOException ignored) {
                // Closing a listening socket: nothing to recover.
            }
        }
    }
}
