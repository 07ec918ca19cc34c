// spark.protocol = driver: one Spark job per step — broadcast θ, partial sums per block, the tree sum, collect.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.exec.ChunkReads;
import io.sparkprop.spark.exec.FaultHook;
import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.spark.exec.PartitionWorker;
import io.sparkprop.spark.exec.StepTimer;
import io.sparkprop.spark.exec.TrainRows;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.RunningStatistics;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Step;

/**
 * Works on any cluster and with any number of executors: a lost executor only re-runs its tasks. Each step is
 * a job: θ is broadcast (as floats under compute.precision = float32), each cached {@link Block} (or {@link io.sparkprop.spark.exec.ChunkRef}'s chunks) runs the
 * trainer's own {@code Objective.lossAndGradient} on its rows of the global batch, {@link FixedOrderSum} adds the
 * partials in the {@link ReductionTree}'s order, and the training loop's {@link Step} steps the optimizer on
 * the driver. Under float32 the summed gradient is rounded to float as the barrier protocol's root sends it, so
 * both protocols hand the optimizer the same bits.
 *
 * <p>batch-norm needs the global batch's sums in the middle of the pass, and a job cannot talk to the driver
 * mid-task: so each of a step's E exchanges ({@link RunningStatistics#exchanges}: one per batch-norm layer
 * forward, one per layer backward but a first one) is a job of its own before the step's job. Job j reruns the
 * pass up to exchange j, the earlier exchanges' global sums (summed by the jobs before it) shipped with the
 * task, and returns the partition's partial of exchange j, which {@link FixedOrderSum} adds in the tree's order;
 * the step's job then runs the whole pass on all E known sums. That is E + 1 jobs and about E²/2 + E partial
 * passes more per step: the same bits as the barrier protocol, which exchanges mid-pass through its tree.
 */
final class DriverProtocol implements Step.Sums {
    private final JavaSparkContext sc;
    private final Network net;
    private final BatchPlan plan;
    private final JavaRDD<? extends TrainRows> train;
    private final int treeDepth;
    private final String runId;
    private final String runName;
    private final Backend backend;
    private final FaultHook faults;
    private final boolean float32;
    /** Where the step tasks found their chunks (train.shuffle = chunks), else null. */
    private final ChunkReads reads;
    private final DriverStepTimer timer;
    private final PartialLayout layout;
    /** Σ w of the last step's rows, from the tree's weight slot (the row count when unweighted). */
    private double lastWeight = Double.NaN;
    private long broadcastBytes;
    private long steps;
    /** batch-norm: the exchanges of a pass, and the last step's forward sums for the running statistics. */
    private final int exchanges;
    private final double[] norms;

    DriverProtocol(JavaSparkContext sc, Network net, BatchPlan plan, JavaRDD<? extends TrainRows> train, int treeDepth,
                   String runId, String runName, Backend backend, FaultHook faults, boolean float32,
                   ChunkReads reads) {
        this.sc = sc;
        this.net = net;
        this.plan = plan;
        this.train = train;
        this.treeDepth = treeDepth;
        this.runId = runId;
        this.runName = runName;
        this.backend = backend;
        this.faults = faults;
        this.float32 = float32;
        this.reads = reads;
        this.timer = new DriverStepTimer(train.getNumPartitions());
        this.layout = PartialLayout.of(net);
        this.exchanges = RunningStatistics.exchanges(net, false).length;
        this.norms = new double[layout.norms()];
    }

    /** batch-norm's running statistics from the last sum's forward sums, after the update. */
    @Override
    public void stepped(double[] params) {
        if (norms.length > 0) {
            RunningStatistics.update(net, params, norms, 0);
        }
    }

    @Override
    public double lastWeightSum() {
        return lastWeight;
    }

    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        timer.beginStep();
        Broadcast<?> bw;
        if (float32) {
            float[] f = new float[params.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) params[i];
            bw = sc.broadcast(f);
            broadcastBytes += 4L * f.length;
        } else {
            bw = sc.broadcast(params);
            broadcastBytes += 8L * params.length;
        }
        timer.broadcastDone();
        sc.setLocalProperty(RunListener.RUN, runId);
        sc.setJobDescription("sparkprop " + runName + ": epoch " + (epoch + 1) + " step " + (step + 1) + "/"
                + plan.stepsPerEpoch());
        Network n = net;
        BatchPlan bp = plan;
        String id = runId;
        Backend be = backend;
        FaultHook f = faults;
        ChunkReads counted = reads;
        double[][] known = new double[exchanges][];
        for (int j = 0; j < exchanges; j++) {
            double[][] before = java.util.Arrays.copyOf(known, j);
            int at = j;
            sc.setJobDescription("sparkprop " + runName + ": epoch " + (epoch + 1) + " step " + (step + 1)
                    + " batch-norm sums " + (j + 1) + "/" + exchanges);
            known[j] = FixedOrderSum.sum(train.map(rows -> {
                PartitionWorker w = PartitionWorker.get(id, rows.partition(), n, bp, be).countReadsIn(counted);
                w.normSums(null, before);
                return w.normPartial(rows, rows instanceof Block b ? b.asDataset(null) : null, bw.value(), epoch,
                        step, at);
            }), treeDepth, 0);
        }
        sc.setJobDescription("sparkprop " + runName + ": epoch " + (epoch + 1) + " step " + (step + 1) + "/"
                + plan.stepsPerEpoch());
        JavaRDD<double[]> partials = train.map(rows -> {
            f.maybeFail(epoch, step, rows.partition(), TaskContext.get().attemptNumber());
            PartitionWorker w = PartitionWorker.get(id, rows.partition(), n, bp, be).countReadsIn(counted);
            w.normSums(null, known);
            Object v = bw.value();
            // A ChunkRef has no Dataset view: the worker reads its chunks.
            Dataset data = rows instanceof Block b ? b.asDataset(null) : null;
            // float32: θ goes to the kernel as the floats it was broadcast in.
            return v instanceof float[] floats
                    ? w.lossAndGradient(rows, data, floats, epoch, step)
                    : w.lossAndGradient(rows, data, (double[]) v, epoch, step);
        });
        double[] sum = FixedOrderSum.sum(partials, treeDepth, float32 ? params.length : 0);
        bw.destroy();
        layout.checkRows(sum, plan.batchEnd(step) - plan.batchStart(step), epoch, step);
        int p = params.length;
        if (float32) {
            for (int i = 0; i < p; i++) sum[i] = (float) sum[i];
        }
        System.arraycopy(sum, 0, gradSum, 0, p);
        timer.stepDone(sum[layout.computeMs()]);
        steps++;
        lastWeight = sum[layout.weight()];
        System.arraycopy(sum, layout.norm(), norms, 0, norms.length);
        return sum[layout.loss()];
    }

    /** The broadcast payload per step (θ, sent at least once by the driver) so far. */
    double broadcastBytesPerStep() {
        return steps == 0 ? 0 : (double) broadcastBytes / steps;
    }

    long steps() {
        return steps;
    }

    /** How this protocol's steps split into broadcast, compute, aggregation and update. */
    DriverStepTimer timer() {
        return timer;
    }
}
