// The validation statistics a barrier job owes after an epoch, when it validates inside the job.
package io.sparkprop.spark.barrier;

/**
 * After each epoch the tasks evaluate their validation rows (a block, or under train.shuffle = chunks its chunk
 * blocks read one after another, which may sit on disk) under the epoch's last θ and send the summed statistics
 * up the tree; an attempt that joins before they are in sends them first. Not thread-safe:
 * {@link StepExchange} calls it under its own lock.
 */
final class InJobMetrics {
    /** The epoch whose statistics are owed (−1: none), and those statistics once in. */
    private int epoch = -1;
    private double[] stats;

    /** The tasks owe epoch {@code e}'s statistics ({@code e} &lt; 0: none). */
    void owe(int e) {
        epoch = e;
        stats = null;
    }

    /** Whether statistics are owed and not yet in (a joining attempt sends them before its first step). */
    boolean owed() {
        return epoch >= 0 && stats == null;
    }

    /** Takes epoch {@code e}'s statistics (copied); false if they were not owed. */
    boolean receive(int e, double[] summed) {
        if (e != epoch || stats != null) {
            return false;
        }
        stats = summed.clone();
        return true;
    }

    /** The statistics once in, else null. */
    double[] stats() {
        return stats;
    }
}
