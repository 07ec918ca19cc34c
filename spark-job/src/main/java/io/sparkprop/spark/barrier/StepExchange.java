// The driver's side of a barrier run: take the tree's sum S(0), step the optimizer, hand back θ.
package io.sparkprop.spark.barrier;

import java.util.Arrays;

import io.sparkprop.spark.exec.PartialLayout;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Step;

/**
 * Shared by the root task's connection thread and the training loop's thread. Per step the root's sum goes
 * through the one {@link Step#update} with the loop's own {@link Updater}, exactly as the driver protocol's
 * steps do. At the end of an epoch the run either ends (the tasks are told to stop) or, when it spans epochs,
 * pauses: the tasks evaluate their validation blocks (the sums arrive as METRICS) and go on computing the next
 * epoch's first step, but its update waits for {@link #resume}, so the training loop reads θ and the optimizer
 * state while nothing changes them. A newer attempt (the driver re-running a failed barrier job) starts again
 * from the first step of the epoch in progress.
 */
final class StepExchange {
    /** Thrown to a connection whose attempt has been superseded or failed: it hangs up on its task. */
    static final class Abandoned extends Exception {
        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    /** One finished (or cut short) epoch: per-step loss and norm, mean times, validation statistics or null. */
    record Epoch(int epoch, double[] loss, double[] norm, double computeMs, double updateMs, double[] metrics) {
    }

    /** Where a joining attempt starts: the epoch, and whether it first owes the previous epoch's metrics. */
    record Start(int epoch, boolean metricsFirst) {
    }

    private final Updater updater;
    private final BatchPlan plan;
    private final PartialLayout layout;
    private final int partitions;
    private final boolean spansEpochs;
    private final int metricsLength;
    private final boolean float32;
    private final Lanes lanes;
    /** θ as of the current step; the connection sends it while no step can run. */
    private final double[] params;
    private final double[] grad;
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
    private int attempt = -1;
    /** Every attempt up to this one has failed (a task can fail before its attempt joined). */
    private int failedThrough = -1;
    private boolean paused;
    private boolean ended;
    /** The last epoch finished, still waiting for its metrics when {@link #metricsLength} &gt; 0. */
    private Epoch pending;
    private Epoch done;
    private Throwable failure;
    private int attempts;
    /** Where the tasks of the current attempt listen. */
    private final TaskAddresses addresses;

    /**
     * @param spansEpochs   go on into the next epoch after a {@link #resume}, or end after the first one
     * @param metricsLength length of the validation statistics the tasks send after each epoch; 0 for none
     *                      (only with spansEpochs)
     */
    StepExchange(double[] params, Updater updater, BatchPlan plan, int partitions, int epoch, long globalStep,
                 boolean spansEpochs, int metricsLength, boolean float32) {
        this(params, updater, plan, partitions, epoch, globalStep, spansEpochs, metricsLength, float32, Lanes.SERIAL);
    }

    /** @param lanes the driver's threads for the update's elementwise loops (the same bits as none) */
    StepExchange(double[] params, Updater updater, BatchPlan plan, int partitions, int epoch, long globalStep,
                 boolean spansEpochs, int metricsLength, boolean float32, Lanes lanes) {
        this.lanes = lanes;
        this.updater = updater;
        this.plan = plan;
        this.layout = new PartialLayout(params.length);
        this.partitions = partitions;
        this.spansEpochs = spansEpochs;
        this.metricsLength = spansEpochs ? metricsLength : 0;
        this.float32 = float32;
        this.params = params.clone();
        this.grad = new double[params.length];
        this.startParams = params.clone();
        this.startState = updater.optimizer().state();
        this.epoch = epoch;
        this.epochStartStep = globalStep;
        this.addresses = new TaskAddresses(partitions);
        newEpoch();
    }

    private void newEpoch() {
        loss = new double[plan.stepsPerEpoch()];
        norm = new double[plan.stepsPerEpoch()];
        computeMs = 0;
        updateMs = 0;
        step = 0;
    }

    TaskAddresses addresses() {
        return addresses;
    }

    PartialLayout layout() {
        return layout;
    }

    int metricsLength() {
        return metricsLength;
    }

    boolean float32() {
        return float32;
    }

    /** The root task of attempt {@code a} says hello; a newer attempt restarts the epoch in progress. */
    synchronized Start join(int a) throws Abandoned {
        if (a < attempt || a <= failedThrough || ended) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (a > attempt) {
            attempt = a;
            attempts++;
            // Paused before an epoch nothing has changed since the snapshot (and the training loop may be
            // reading the optimizer): only a run that was inside an epoch needs to be put back.
            if (!(paused && step == 0)) {
                restart();
            }
            notifyAll();
        }
        return new Start(epoch, pending != null && done != pending);
    }

    /** θ and the optimizer back to the start of the epoch in progress. */
    private void restart() {
        System.arraycopy(startParams, 0, params, 0, params.length);
        updater.optimizer().setState(startState);
        newEpoch();
    }

    /** θ to start from, right after {@link #join} (no step can run before the root has it). */
    double[] params() {
        return params;
    }

    /**
     * S(0) of step {@code s} of epoch {@code e} ({@link PartialLayout}). Returns θ after the step, or null: stop.
     */
    synchronized double[] step(int a, int e, int s, double[] sum) throws Abandoned, InterruptedException {
        check(a);
        if (ended) {
            return null;
        }
        if (e != epoch || s != step) {
            fail(a);
            throw new Abandoned("the tree sent epoch " + (e + 1) + " step " + (s + 1) + " while " + (epoch + 1) + "/"
                    + (step + 1) + " was open");
        }
        while (paused && !ended) {
            wait();
            check(a);
        }
        if (ended) {
            return null;
        }
        try {
            apply(sum);
        } catch (RuntimeException bug) {
            // The same sums would fail the same way on a retry: stop the run and let the loop rethrow it.
            jobFailed(bug);
            return null;
        }
        return ended ? null : params;
    }

    /** The validation statistics of epoch {@code e}, summed up the tree. */
    synchronized void metrics(int a, int e, double[] stats) throws Abandoned {
        check(a);
        if (pending == null || pending.epoch() != e || done == pending) {
            fail(a);
            throw new Abandoned("metrics of epoch " + (e + 1) + " arrived unasked");
        }
        done = new Epoch(e, pending.loss(), pending.norm(), pending.computeMs(), pending.updateMs(), stats.clone());
        pending = done;
        notifyAll();
    }

    /** Attempt {@code a} failed (the connection broke, or its job did). */
    synchronized void fail(int a) {
        if (a > failedThrough) {
            failedThrough = a;
            addresses.over(a);
            notifyAll();
        }
    }

    private void check(int a) throws Abandoned {
        if (a != attempt || a <= failedThrough) {
            throw new Abandoned("attempt " + a + " was abandoned");
        }
    }

    private void apply(double[] sum) {
        long t0 = System.nanoTime();
        int p = params.length;
        layout.checkRows(sum, plan.batchEnd(step) - plan.batchStart(step), epoch, step);
        System.arraycopy(sum, 0, grad, 0, p);
        computeMs += sum[layout.computeMs()] / partitions;
        boolean finite = Step.update(updater, plan, params, grad, sum[layout.loss()], step, epochStartStep + step,
                loss, norm, lanes);
        step++;
        updateMs += (System.nanoTime() - t0) / 1e6;
        if (!finite) {
            // Cut short: the training loop reports the divergence; θ and the optimizer keep their last good values.
            done = new Epoch(epoch, Arrays.copyOf(loss, step), Arrays.copyOf(norm, step), computeMs, updateMs, null);
            ended = true;
        } else if (step == plan.stepsPerEpoch()) {
            pending = new Epoch(epoch, loss, norm, computeMs, updateMs, null);
            if (metricsLength == 0) {
                done = pending;
            }
            System.arraycopy(params, 0, startParams, 0, params.length);
            startState = updater.optimizer().state();
            epochStartStep += step;
            epoch++;
            newEpoch();
            paused = spansEpochs;
            ended = !spansEpochs;
        }
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

    /** Tells the tasks to stop at their next exchange. */
    synchronized void end() {
        ended = true;
        addresses.over(Integer.MAX_VALUE);
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
        addresses.over(Integer.MAX_VALUE);
        notifyAll();
    }

    /** How many epochs have been completed so far (for counting consecutive failures). */
    synchronized int epoch() {
        return epoch;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** The last epoch done (with its metrics when the run validates in the job), or null. */
    synchronized Epoch doneEpoch() {
        return done;
    }

    /** Attempts that joined so far (1 when nothing failed). */
    synchronized int attempts() {
        return attempts;
    }
}
