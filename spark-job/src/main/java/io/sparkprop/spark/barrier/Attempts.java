// Which attempt of a barrier job is current, which are over (the driver re-runs a failed barrier job), its root link.
package io.sparkprop.spark.barrier;

import java.io.Closeable;
import java.io.IOException;

/**
 * Attempts are numbered from 0 by {@link BarrierRun}. An attempt becomes current when its root task joins; a newer
 * one supersedes it; a failed one ({@link #fail}) never joins again, nor does any before it (a task can fail
 * before its attempt joined). The current attempt's connection to the root is closed when the attempt is over,
 * so a write still under way on it ends soon ({@link StepExchange#awaitQuiet}). Not thread-safe:
 * {@link StepExchange} calls it under its own lock.
 */
final class Attempts {
    private int current = -1;
    /** Every attempt up to this one has failed. */
    private int failedThrough = -1;
    private int joined;
    /** The current attempt's connection to the root, closed when the attempt is over. */
    private Closeable root;

    /**
     * The root of attempt {@code a} says hello through {@code link}: true if {@code a} is newer than the current
     * attempt, whose connection is then closed; {@code link} becomes the current one's.
     */
    boolean join(int a, Closeable link) throws Abandoned {
        if (a < current || a <= failedThrough) {
            throw new Abandoned("attempt " + a + " is over");
        }
        if (a == current) {
            return false;
        }
        current = a;
        joined++;
        closeRoot();
        root = link;
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
        if (currentFailed()) {
            closeRoot();
        }
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

    /** Closes the current attempt's connection to the root, if it is open. */
    void closeRoot() {
        if (root != null) {
            try {
                root.close();
            } catch (IOException ignored) {
                // Closing a failed attempt's connection: nothing to recover.
            }
            root = null;
        }
    }
}
