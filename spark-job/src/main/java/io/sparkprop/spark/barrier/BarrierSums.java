// spark.protocol = barrier as the training loop's Step.Sums: θ down to the root task, the tree's S(0) back.
package io.sparkprop.spark.barrier;

import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.RunningStatistics;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.EpochSteps;
import io.sparkprop.trainer.train.Step;

/**
 * Used on the training thread only, so θ and the optimizer are read and written there alone: the epoch runs
 * through the trainer's {@link Step#epoch} as the driver protocol's does, and each step's sums come from the
 * {@link StepExchange} (θ published after each update, S(0) taken in). It keeps the epoch's starting point
 * ({@link EpochStart}): when a newer attempt of the barrier job starts the epoch again, so does the loop here,
 * from that snapshot. It also times the epoch's compute (the tasks' mean, as they report it) and update (the
 * driver's time between taking a sum and publishing the θ that answers it).
 */
final class BarrierSums implements Step.Sums {
    /** The training thread was interrupted while it waited for the tree (its flag is clear again). */
    static final class Interrupted extends RuntimeException {
        Interrupted(InterruptedException e) {
            super(e);
        }
    }

    private final StepExchange exchange;
    private final EpochStart start;
    private final PartialLayout layout;
    private double lastWeight = Double.NaN;
    /** The network (for batch-norm's running statistics; null: none), and the last S(0)'s batch-norm sums. */
    private final Network net;
    private final double[] norms;
    private final BatchPlan plan;
    private final int partitions;
    private double computeMs;
    private double updateMs;
    /** When the last sum was handed to the loop (the update runs from then until the next call). */
    private long handed;

    /**
     * @param exchange the run's exchange, which starts from {@code start}'s θ
     * @param start    the snapshot of θ the run starts from
     */
    BarrierSums(StepExchange exchange, EpochStart start, BatchPlan plan, int partitions) {
        this(exchange, start, plan, partitions, null);
    }

    /** As above for {@code net}, whose batch-norm layers' running statistics follow each step's S(0). */
    BarrierSums(StepExchange exchange, EpochStart start, BatchPlan plan, int partitions, Network net) {
        this.net = net;
        this.norms = new double[exchange.shape().layout().norms()];
        this.exchange = exchange;
        this.start = start;
        this.layout = exchange.shape().layout();
        this.plan = plan;
        this.partitions = partitions;
    }

    /** Whether the tasks are ready for epoch {@code e} from exactly {@code params} (they have its first sum). */
    boolean continuesWith(int e, double[] params) {
        return exchange.pausedBefore(e) && start.holds(params);
    }

    /**
     * All steps of epoch {@code e} through {@link Step#epoch}. A newer attempt makes it start the epoch again
     * from the snapshot; on any other failure θ and the optimizer are left as they were after the last step
     * taken ({@link #restore} puts them back).
     */
    EpochSteps epoch(Updater updater, double[] params, double[] grad, int e, long globalStep, Lanes lanes) {
        start.takeOptimizer(updater);
        while (true) {
            computeMs = 0;
            updateMs = 0;
            try {
                EpochSteps steps = Step.epoch(this, updater, plan, params, grad, e, globalStep, lanes);
                updateMs += (System.nanoTime() - handed) / 1e6;
                return steps;
            } catch (Restart again) {
                start.restore(params, updater);
            }
        }
    }

    /** Step {@code step}'s sums: the θ it is given goes down the tree (after an epoch's first step). */
    @Override
    public double lossAndGradient(double[] params, int epoch, int step, double[] gradSum) {
        long t0 = System.nanoTime();
        if (step > 0) {
            updateMs += (t0 - handed) / 1e6;
        }
        double[] sum;
        try {
            sum = exchange.sum(step > 0 ? params : null, epoch, step);
        } catch (InterruptedException e) {
            throw new Interrupted(e);
        }
        layout.checkRows(sum, plan.batchEnd(step) - plan.batchStart(step), epoch, step);
        System.arraycopy(sum, 0, gradSum, 0, gradSum.length);
        computeMs += sum[layout.computeMs()] / partitions;
        lastWeight = sum[layout.weight()];
        System.arraycopy(sum, layout.norm(), norms, 0, norms.length);
        handed = System.nanoTime();
        return sum[layout.loss()];
    }

    /** batch-norm's running statistics from S(0)'s forward sums, on the training thread after the update. */
    @Override
    public void stepped(double[] params) {
        if (norms.length > 0) {
            RunningStatistics.update(net, params, norms, 0);
        }
    }

    /** Σ w from the tree's weight slot, summed in the same order as the driver protocol's. */
    @Override
    public double lastWeightSum() {
        return lastWeight;
    }

    /**
     * After the epoch's last update: {@code params} becomes the snapshot the next epoch starts from, and the
     * tasks get it (with {@code withMetrics} they first send its validation statistics).
     */
    void finishEpoch(double[] params, boolean withMetrics) {
        exchange.awaitQuiet();
        start.takeTheta(params);
        exchange.nextEpoch(start.theta(), withMetrics);
    }

    /** The validation statistics of epoch {@code e}, computed by the tasks under the θ {@link #finishEpoch} sent. */
    double[] metrics(int e) {
        try {
            return exchange.awaitMetrics(e);
        } catch (InterruptedException ie) {
            throw new Interrupted(ie);
        }
    }

    /** Whether {@code params} is the θ the last epoch finished with (and its metrics were computed under). */
    boolean finishedWith(double[] params) {
        return start.holds(params);
    }

    /** θ and the optimizer back to the start of the epoch in progress, once no connection is sending θ. */
    void restore(double[] params, Updater updater) {
        exchange.awaitQuiet();
        start.restore(params, updater);
    }

    /** The last epoch's mean task compute milliseconds, summed over its steps. */
    double computeMs() {
        return computeMs;
    }

    /** The last epoch's driver update milliseconds. */
    double updateMs() {
        return updateMs;
    }
}
