// The barrier run's hand-off on the driver: the training thread's θ down to the root task, the tree's S(0) back.
package io.sparkprop.spark.barrier;

import java.io.Closeable;

import io.sparkprop.spark.exec.PartialLayout;

/**
 * Shared by the training thread, which alone reads and writes θ and the optimizer ({@link BarrierSums}), and the
 * root task's connection thread in {@link StepServer}, which only moves bytes:
 * <pre>
 *   connection:  join, send the epoch's starting θ;  then per step: offer S(0) of (e, s), send the θ that answers it
 *   training:    per step: publish θ (not before an epoch's first step), take S(0) of (e, s), update θ
 * </pre>
 * While the training thread updates θ the connection waits ({@link #step}); while the tasks compute, the training
 * thread waits ({@link #sum}). The θ a connection sends is the training thread's own array, which that thread
 * does not write again before the answering S(0) is in; {@link #awaitQuiet} covers the writes a failed attempt's
 * connection may still be doing. At the end of an epoch the training thread publishes the next epoch's starting
 * θ, a snapshot it keeps ({@link #nextEpoch}): with in-job validation the tasks evaluate it and send the
 * statistics up ({@link #metrics}), then compute the next epoch's first step, whose S(0) waits here until the
 * training loop asks for it.
 * <p>
 * Retries: a newer attempt ({@link Attempts}) starts at the first step of the epoch in progress and is sent that
 * epoch's starting θ. If the training thread had taken a sum of that epoch, its next {@link #sum} throws
 * {@link Restart} and it steps the epoch again from its snapshot ({@link EpochStart}).
 */
final class StepExchange {
    /** Where a joining attempt starts: the epoch, whether it first owes the previous epoch's metrics, θ to send. */
    record Start(int epoch, boolean metricsFirst, double[] theta) {
    }

    private final Attempts attempts = new Attempts();
    /** Where the tasks of the current attempt listen. */
    private final TaskAddresses addresses;
    /** What the root and the driver send each other: sizes, S(0)'s bucket order, precision. */
    private final ExchangeShape shape;
    /** The epoch in progress and the θ it started from (the training thread's snapshot: unchanged until its end). */
    private int epoch;
    private double[] startTheta;
    /** Sums of {@link #epoch} the training thread has taken. */
    private int taken;
    /** The training thread has taken a sum and not yet published the θ that answers it. */
    private boolean holding;
    /** S(0) from the connection, not yet taken; the θ from the training thread, not yet sent. */
    private double[] offered;
    private double[] answer;
    /** Connections writing θ (or the epoch's starting θ) right now. */
    private int sending;
    private boolean restart;
    private final InJobMetrics metrics = new InJobMetrics();
    private boolean ended;
    private Throwable failure;

    /**
     * @param startTheta    θ at the start of {@code epoch}; not written by the caller while the epoch is in progress
     * @param metricsLength length of the validation statistics the tasks send after each epoch; 0 for none
     */
    StepExchange(double[] startTheta, int partitions, int epoch, int metricsLength, boolean float32) {
        this(startTheta, partitions, epoch, metricsLength, float32, 0);
    }

    /** @param bucketValues values per bucket of S(0) sent during the backward pass; 0 for after it */
    StepExchange(double[] startTheta, int partitions, int epoch, int metricsLength, boolean float32,
                 int bucketValues) {
        this(startTheta, partitions, epoch, metricsLength, float32, bucketValues, 0);
    }

    /** @param norms batch-norm's forward sums at the end of each partial ({@link PartialLayout#norms}) */
    StepExchange(double[] startTheta, int partitions, int epoch, int metricsLength, boolean float32,
                 int bucketValues, int norms) {
        this.startTheta = startTheta;
        this.shape = ExchangeShape.of(startTheta.length, norms, bucketValues, metricsLength, float32);
        this.addresses = new TaskAddresses(partitions);
        this.epoch = epoch;
    }

    TaskAddresses addresses() {
        return addresses;
    }

    ExchangeShape shape() {
        return shape;
    }

    // ---- the root's connection thread

    /**
     * The root task of attempt {@code a}, reached through {@code link}, says hello; a newer attempt restarts the
     * epoch in progress. The caller sends {@link Start#theta} and then calls {@link #sent}.
     */
    synchronized Start join(int a, Closeable link) throws Abandoned, InterruptedException {
        // Which epoch is in progress is settled once the training thread has answered the sum it holds.
        while (holding && !ended) {
            wait();
        }
        if (ended) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (attempts.join(a, link)) {
            offered = null;
            answer = null;
            if (taken > 0) {
                taken = 0;
                restart = true;
            }
            notifyAll();
        }
        sending++;
        return new Start(epoch, metrics.owed(), startTheta);
    }

    /**
     * Offers S(0) of step {@code s} of epoch {@code e} ({@link PartialLayout}; read by the training thread before
     * this returns) and waits for the θ that answers it, or null: stop. The caller sends that θ, then calls
     * {@link #sent}.
     */
    synchronized double[] step(int a, int e, int s, double[] sum) throws Abandoned, InterruptedException {
        attempts.check(a);
        if (ended) {
            return null;
        }
        if (e != epoch || s != taken || holding || offered != null) {
            fail(a);
            throw new Abandoned("the tree sent epoch " + (e + 1) + " step " + (s + 1) + " while " + (epoch + 1) + "/"
                    + (taken + 1) + " was open");
        }
        offered = sum;
        notifyAll();
        while (answer == null && !ended) {
            wait();
            attempts.check(a);
        }
        if (ended) {
            return null;
        }
        double[] theta = answer;
        answer = null;
        sending++;
        return theta;
    }

    /** The θ from {@link #join} or {@link #step} has been written (or its write failed). */
    synchronized void sent() {
        sending--;
        notifyAll();
    }

    /** The validation statistics of epoch {@code e}, summed up the tree. */
    synchronized void metrics(int a, int e, double[] stats) throws Abandoned {
        attempts.check(a);
        if (!metrics.receive(e, stats)) {
            fail(a);
            throw new Abandoned("metrics of epoch " + (e + 1) + " arrived unasked");
        }
        notifyAll();
    }

    /** Attempt {@code a} failed (the connection broke, or its job did): its connection is closed. */
    synchronized void fail(int a) {
        if (attempts.fail(a)) {
            addresses.over(a);
            notifyAll();
        }
    }

    // ---- the training thread

    /**
     * Publishes {@code theta} as the answer to the previous step's sum (null before an epoch's first step: the
     * tasks have that θ) and waits for S(0) of step {@code s} of epoch {@code e}. The array returned is the
     * connection's; it stays unchanged until the next call. Throws {@link Restart} when a newer attempt began
     * the epoch again, or the job's failure.
     */
    synchronized double[] sum(double[] theta, int e, int s) throws InterruptedException {
        if (restart) {
            restarted();
        }
        if (ended) {
            throw stopped(e);
        }
        if (e != epoch || s != taken) {
            throw new IllegalStateException("asked for epoch " + (e + 1) + " step " + (s + 1) + " while "
                    + (epoch + 1) + "/" + (taken + 1) + " is next");
        }
        if (theta != null) {
            answer = theta;
        }
        holding = false;
        notifyAll();
        while (offered == null && !restart && !ended) {
            wait();
        }
        if (restart) {
            restarted();
        }
        if (ended) {
            throw stopped(e);
        }
        double[] sum = offered;
        offered = null;
        taken++;
        holding = true;
        return sum;
    }

    private void restarted() {
        restart = false;
        awaitQuiet();
        throw new Restart();
    }

    /**
     * After the epoch's last update: {@code theta} (the training thread's snapshot of θ, left unchanged until this
     * epoch ends) is where the next epoch starts; the tasks get it, and with {@code withMetrics} they first send
     * its validation statistics. Does nothing once the run has ended.
     */
    synchronized void nextEpoch(double[] theta, boolean withMetrics) {
        if (ended) {
            return;
        }
        epoch++;
        taken = 0;
        holding = false;
        startTheta = theta;
        answer = theta;
        metrics.owe(withMetrics ? epoch - 1 : -1);
        notifyAll();
    }

    /** The validation statistics of epoch {@code e} once the tasks have sent them; rethrows a failure of the job. */
    synchronized double[] awaitMetrics(int e) throws InterruptedException {
        while (metrics.stats() == null && !ended) {
            wait();
        }
        if (metrics.stats() == null) {
            throw stopped(e);
        }
        return metrics.stats();
    }

    /**
     * Waits until no connection is writing θ: then the training thread may write its θ (a restart) or its
     * snapshot (an epoch's end). A write of a failed attempt ends soon, its connection being closed.
     */
    synchronized void awaitQuiet() {
        boolean interrupted = false;
        while (sending > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the run is paused between epochs, about to start epoch {@code e} from the θ last published. */
    synchronized boolean pausedBefore(int e) {
        return !ended && epoch == e && taken == 0 && !holding;
    }

    private RuntimeException stopped(int e) {
        if (failure != null) {
            return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return new IllegalStateException("the barrier run ended before epoch " + (e + 1) + " was done");
    }

    // ---- the job and the training loop

    /** Tells the tasks to stop at their next exchange. */
    synchronized void end() {
        ended = true;
        holding = false;
        addresses.over(Integer.MAX_VALUE);
        notifyAll();
    }

    /** The job gave up: the training thread rethrows {@code t}. */
    synchronized void jobFailed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        attempts.closeRoot();
        end();
    }

    /** The epoch in progress (for counting consecutive failures). */
    synchronized int epoch() {
        return epoch;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Attempts that joined so far (1 when nothing failed). */
    synchronized int attempts() {
        return attempts.joined();
    }
}
