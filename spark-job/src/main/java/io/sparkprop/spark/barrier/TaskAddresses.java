// Where each barrier task of the current attempt listens, told to the driver so the tasks can find their parents.
package io.sparkprop.spark.barrier;

import java.util.concurrent.TimeUnit;

import io.sparkprop.spark.exec.ReductionTree;

/**
 * Every task opens its listener, says hello to the driver's {@link StepServer} with the listener's "host:port",
 * and (unless it is the root) waits here for its parent's. Not {@code BarrierTaskContext.allGather}: that call
 * sleeps in whole seconds until its reply has come, about a second per job start. An attempt newer than the one
 * on record replaces it; an attempt the driver has given up on ({@link #over}) wakes its waiters with
 * {@link Abandoned}.
 */
final class TaskAddresses {
    private final int partitions;
    private int attempt = -1;
    private String[] known;
    /** Every attempt up to this one is over. */
    private int overThrough = -1;

    TaskAddresses(int partitions) {
        this.partitions = partitions;
    }

    /** Task {@code partition} of attempt {@code a} listens at {@code address}. */
    synchronized void put(int a, int partition, String address) throws Abandoned {
        if (a < attempt || a <= overThrough) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (partition < 0 || partition >= partitions) {
            throw new Abandoned("partition " + partition + " is not one of " + partitions);
        }
        if (a > attempt) {
            attempt = a;
            known = new String[partitions];
        }
        known[partition] = address;
        notifyAll();
    }

    /**
     * The address of the parent of {@code partition} (not the root) in attempt {@code a}, once that task has said
     * hello; at most {@code timeoutMs}.
     */
    synchronized String parentOf(int a, int partition, long timeoutMs)
            throws Abandoned, InterruptedException {
        int parent = ReductionTree.parent(partition);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            if (a != attempt || a <= overThrough) {
                throw new Abandoned("attempt " + a + " is over");
            }
            if (known[parent] != null) {
                return known[parent];
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Abandoned("partition " + parent + " of attempt " + a + " did not say hello in "
                        + timeoutMs / 1000 + " s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Attempts up to {@code a} are over: their waiters give up. */
    synchronized void over(int a) {
        if (a > overThrough) {
            overThrough = a;
            notifyAll();
        }
    }
}
