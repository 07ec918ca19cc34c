// The driver's rendezvous for the barrier protocol: gather every partition's partial sums, step, hand back θ.
package io.sparkprop.spark;

import java.util.Arrays;

import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Shared by the server threads of one barrier run's task connections and the training loop's thread. Per step,
 * the last partition to arrive adds all partial sums in {@link FixedOrderSum}'s order, lets the driver's
 * {@link Updater} step exactly as the driver protocol does, and wakes the others; each then sends the new θ to
 * its task. At the end of an epoch the run either ends (the tasks are told to stop) or, when it spans epochs,
 * pauses: the tasks go on computing the next epoch's first step, but its update waits for {@link #resume}, so
 * the training loop reads θ and the optimizer state while nothing changes them. A newer attempt (the driver
 * re-running a failed barrier job) starts again from the first step of the epoch that was in progress.
 */
final class StepExchange {
    /** Thrown to a connection whose attempt has been superseded or failed: it hangs up on its task. */
    static final class Abandoned extends Exception {
        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    /** One finished (or, after a non-finite value, cut short) epoch: per-step loss and norm, mean times. */
    record Epoch(int epoch, double[] loss, double[] norm, double computeMs, double updateMs) {
    }

    private final Updater updater;
    private final BatchPlan plan;
    private final int partitions;
    private final int treeDepth;
    private final boolean spansEpochs;
    /** θ as of the current step; server threads send it while no step can run (every task is computing). */
    private final double[] params;
    private final double[] grad;
    private final double[][] parts;
    /** θ and optimizer state at the start of {@link #epoch}, for a retry. */
    private final double[] startParams;
    private double[] startState;
    private int epoch;
    private long epochStartStep;
    private double[] loss;
    private double[] norm;
    private double computeMs;
    private double updateMs;
    private int step;
    private int arrived;
    private long generation;
    private int attempt = -1;
    /**
     * Every attempt up to this one has failed. Kept apart from {@link #attempt}: a task can fail before any task
     * of its attempt has joined, and the others must not join afterwards.
     */
    private int failedThrough = -1;
    private boolean paused;
    private boolean ended;
    private Epoch done;
    private Throwable failure;

    /**
     * @param spansEpochs go on into the next epoch after a {@link #resume}, or end after the first one
     */
    StepExchange(double[] params, Updater updater, BatchPlan plan, int partitions, int treeDepth, int epoch,
                 long globalStep, boolean spansEpochs) {
        this.updater = updater;
        this.plan = plan;
        this.partitions = partitions;
        this.treeDepth = treeDepth;
        this.spansEpochs = spansEpochs;
        this.params = params.clone();
        this.grad = new double[params.length];
        this.parts = new double[partitions][];
        this.startParams = params.clone();
        this.startState = updater.optimizer().state();
        this.epoch = epoch;
        this.epochStartStep = globalStep;
        newEpoch();
    }

    private void newEpoch() {
        loss = new double[plan.stepsPerEpoch()];
        norm = new double[plan.stepsPerEpoch()];
        computeMs = 0;
        updateMs = 0;
        step = 0;
    }

    /** A task of attempt {@code a} says hello; a newer attempt restarts the epoch in progress. Returns its epoch. */
    synchronized int join(int a) throws Abandoned {
        if (a < attempt || a <= failedThrough || ended) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (a > attempt) {
            attempt = a;
            arrived = 0;
            Arrays.fill(parts, null);
            // Paused before an epoch nothing has changed since the snapshot (and the training loop may be
            // reading the optimizer): only a run that was inside an epoch needs to be put back.
            if (!(paused && step == 0)) {
                restart();
            }
            generation++;
            notifyAll();
        }
        return epoch;
    }

    /** θ and the optimizer back to the start of the epoch in progress. */
    private void restart() {
        System.arraycopy(startParams, 0, params, 0, params.length);
        updater.optimizer().setState(startState);
        newEpoch();
    }

    /** θ to start from, right after {@link #join} (no step can run before every task has joined). */
    double[] params() {
        return params;
    }

    /**
     * Partition {@code partition}'s Σ gradient (P values), Σ loss and compute milliseconds for step {@code s} of
     * epoch {@code e}. Blocks until every partition has sent it; returns θ after the step, or null: stop.
     */
    synchronized double[] exchange(int a, int partition, int e, int s, double[] partial)
            throws Abandoned, InterruptedException {
        check(a);
        if (ended) {
            return null;
        }
        if (e != epoch || s != step || parts[partition] != null) {
            fail(a);
            throw new Abandoned("partition " + partition + " sent epoch " + (e + 1) + " step " + (s + 1) + " while "
                    + (epoch + 1) + "/" + (step + 1) + " was open");
        }
        parts[partition] = partial;
        if (++arrived == partitions) {
            while (paused && !ended) {
                wait();
                check(a);
            }
            if (ended) {
                generation++;
                notifyAll();
                return null;
            }
            try {
                apply();
            } catch (RuntimeException bug) {
                // The same sums would fail the same way on a retry: stop the run and let the loop rethrow it.
                jobFailed(bug);
                return null;
            }
        } else {
            long g = generation;
            while (g == generation) {
                wait();
                check(a);
            }
        }
        return ended ? null : params;
    }

    /** Attempt {@code a} failed (a connection broke, or its job did): every task of it is told to give up. */
    synchronized void fail(int a) {
        if (a > failedThrough) {
            failedThrough = a;
            generation++;
            notifyAll();
        }
    }

    private void check(int a) throws Abandoned {
        if (a != attempt || a <= failedThrough) {
            throw new Abandoned("attempt " + a + " was abandoned");
        }
    }

    private void apply() {
        long t0 = System.nanoTime();
        int p = params.length;
        double[] sum = FixedOrderSum.sumInOrder(parts, treeDepth);
        // As the driver protocol adds the sum into its zeroed gradient buffer (same bits, signed zeros too).
        for (int i = 0; i < p; i++) grad[i] = 0.0 + sum[i];
        loss[step] = sum[p];
        computeMs += sum[p + 1] / partitions;
        boolean finite = Double.isFinite(loss[step]);
        if (finite) {
            norm[step] = updater.apply(params, grad, plan.batchEnd(step) - plan.batchStart(step),
                    epochStartStep + step);
            finite = Double.isFinite(norm[step]);
        }
        step++;
        arrived = 0;
        Arrays.fill(parts, null);
        updateMs += (System.nanoTime() - t0) / 1e6;
        if (!finite) {
            // Cut short: the training loop reports the divergence; θ and the optimizer keep their last good values.
            done = new Epoch(epoch, Arrays.copyOf(loss, step), Arrays.copyOf(norm, step), computeMs, updateMs);
            ended = true;
        } else if (step == plan.stepsPerEpoch()) {
            done = new Epoch(epoch, loss, norm, computeMs, updateMs);
            System.arraycopy(params, 0, startParams, 0, params.length);
            startState = updater.optimizer().state();
            epochStartStep += step;
            epoch++;
            newEpoch();
            paused = spansEpochs;
            ended = !spansEpochs;
        }
        generation++;
        notifyAll();
    }

    /**
     * Waits until epoch {@code e} is done (or cut short) and returns it with θ copied into {@code into}; rethrows
     * a failure of the job.
     */
    synchronized Epoch await(int e, double[] into) throws InterruptedException {
        while ((done == null || done.epoch() < e) && failure == null && !ended) {
            wait();
        }
        if (done == null || done.epoch() < e) {
            if (failure != null) {
                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            }
            throw new IllegalStateException("the barrier run ended before epoch " + (e + 1) + " was done");
        }
        System.arraycopy(params, 0, into, 0, into.length);
        return done;
    }

    /**
     * True if the paused run can carry on with epoch {@code e} from exactly this state: the loop did not touch θ,
     * the optimizer or the step count since {@link #await}.
     */
    synchronized boolean continuesWith(int e, double[] p, Updater u, long globalStep) {
        return paused && !ended && failure == null && e == epoch && u == updater && globalStep == epochStartStep
                && Arrays.equals(p, params) && Arrays.equals(u.optimizer().state(), startState);
    }

    /** Lets the paused run take epoch {@code epoch}'s first update. */
    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Tells every task to stop at its next exchange. */
    synchronized void end() {
        ended = true;
        generation++;
        notifyAll();
    }

    /** The job gave up: the training loop rethrows {@code t}; θ and the optimizer go back to the epoch's start. */
    synchronized void jobFailed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        if (!ended) {
            restart();
        }
        ended = true;
        generation++;
        notifyAll();
    }

    /** How many epochs have been completed so far (for counting consecutive failures). */
    synchronized int epoch() {
        return epoch;
    }

    synchronized boolean ended() {
        return ended;
    }
}
