// The driver's rendezvous for one barrier epoch: gather every partition's partial sums, step, hand back θ.
package io.sparkprop.spark;

import java.util.Arrays;

import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * One instance per epoch, shared by the server threads of that epoch's task connections. Per step, the last
 * partition to arrive adds all partial sums in {@link FixedOrderSum}'s order, lets the driver's {@link Updater}
 * step exactly as the driver protocol does, and wakes the others; each then sends the new θ to its task.
 * A newer attempt (the driver re-running a failed barrier job) starts the epoch again from its first step.
 */
final class StepExchange {
    /** Thrown to a connection whose attempt has been superseded or failed: it hangs up on its task. */
    static final class Abandoned extends Exception {
        Abandoned(String why) {
            super(why, null, false, false);
        }
    }

    private final Updater updater;
    private final BatchPlan plan;
    private final int partitions;
    private final int treeDepth;
    private final long globalStep;
    private final double[] startParams;
    private final double[] startState;
    /** θ as of the current step; the server threads send it while no step can run (all tasks are computing). */
    private final double[] params;
    private final double[] grad;
    private final double[] loss;
    private final double[] norm;
    private final double[][] parts;
    private int attempt = -1;
    private boolean failed;
    private int step;
    private int arrived;
    private long generation;
    private boolean stopped;
    private double updateMs;

    StepExchange(double[] params, Updater updater, BatchPlan plan, int partitions, int treeDepth, long globalStep) {
        this.updater = updater;
        this.plan = plan;
        this.partitions = partitions;
        this.treeDepth = treeDepth;
        this.globalStep = globalStep;
        this.startParams = params.clone();
        this.startState = updater.optimizer().state();
        this.params = params.clone();
        this.grad = new double[params.length];
        this.loss = new double[plan.stepsPerEpoch()];
        this.norm = new double[plan.stepsPerEpoch()];
        this.parts = new double[partitions][];
    }

    /** A task of attempt {@code a} says hello: a newer attempt restarts the epoch. Returns θ to start from. */
    synchronized double[] join(int a) throws Abandoned {
        if (a < attempt || (a == attempt && failed)) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (a > attempt) {
            attempt = a;
            failed = false;
            step = 0;
            arrived = 0;
            stopped = false;
            Arrays.fill(parts, null);
            System.arraycopy(startParams, 0, params, 0, params.length);
            updater.optimizer().setState(startState);
            generation++;
            notifyAll();
        }
        return params;
    }

    /**
     * Partition {@code partition}'s Σ gradient (P values) and Σ loss (one more) for step {@code s}. Blocks until
     * every partition has sent step s; returns θ after the step, or null when training stops (non-finite values).
     */
    synchronized double[] exchange(int a, int partition, int s, double[] partial) throws Abandoned, InterruptedException {
        check(a);
        if (s != step || parts[partition] != null || stopped) {
            fail(a);
            throw new Abandoned("partition " + partition + " sent step " + (s + 1) + " while step " + (step + 1)
                    + " was open");
        }
        parts[partition] = partial;
        if (++arrived == partitions) {
            apply();
        } else {
            long g = generation;
            while (g == generation) {
                wait();
                check(a);
            }
        }
        return stopped ? null : params;
    }

    /** A connection of attempt {@code a} broke: every task of that attempt is told to give up. */
    synchronized void fail(int a) {
        if (a == attempt && !failed) {
            failed = true;
            generation++;
            notifyAll();
        }
    }

    private void check(int a) throws Abandoned {
        if (a != attempt || failed) {
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
        if (Double.isFinite(loss[step])) {
            norm[step] = updater.apply(params, grad, plan.batchEnd(step) - plan.batchStart(step), globalStep + step);
        }
        stopped = !Double.isFinite(loss[step]) || !Double.isFinite(norm[step]);
        step++;
        arrived = 0;
        Arrays.fill(parts, null);
        generation++;
        updateMs += (System.nanoTime() - t0) / 1e6;
        notifyAll();
    }

    /** Steps taken by the attempt that finished (the last one counts, even when it stopped early). */
    synchronized int stepsTaken() {
        return step;
    }

    int expectedSteps() {
        return loss.length;
    }

    /** True when the last step was not finite and training stops. */
    synchronized boolean stopped() {
        return stopped;
    }

    synchronized double[] losses() {
        return Arrays.copyOf(loss, step);
    }

    synchronized double[] norms() {
        return Arrays.copyOf(norm, step);
    }

    synchronized double[] params() {
        return params.clone();
    }

    synchronized double updateMs() {
        return updateMs;
    }
}
