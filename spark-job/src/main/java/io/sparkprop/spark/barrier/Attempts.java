// Which attempt of a barrier job is current and which are over (the driver re-runs a failed barrier job).
package io.sparkprop.spark.barrier;

/**
 * Attempts are numbered from 0 by {@link BarrierRun}. An attempt becomes current when its root task joins; a newer
 * one supersedes it; a failed one ({@link #fail}) never joins again, nor does any before it (a task can fail
 * before its attempt joined). Not thread-safe: {@link StepExchange} calls it under its own lock.
 */
final class Attempts {
    private int current = -1;
    /** Every attempt up to this one has failed. */
    private int failedThrough = -1;
    private int joined;

    /** The root of attempt {@code a} says hello: true if {@code a} is newer than the current attempt. */
    boolean join(int a) throws Abandoned {
        if (a < current || a <= failedThrough) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (a == current) {
            return false;
        }
        current = a;
        joined++;
        return true;
    }

    /** Fails unless {@code a} is the current attempt and has not failed. */
    void check(int a) throws Abandoned {
        if (a != current || a <= failedThrough) {
            throw new Abandoned("attempt " + a + " was abandoned");
        }
    }

    /** Attempt {@code a} (and every one before it) failed; true if that is news. */
    boolean fail(int a) {
        if (a <= failedThrough) {
            return false;
        }
        failedThrough = a;
        return true;
    }

    /** Whether the current attempt has failed. */
    boolean currentFailed() {
        return current <= failedThrough;
    }

    /** Attempts that joined so far (1 when nothing failed). */
    int joined() {
        return joined;
    }
}
