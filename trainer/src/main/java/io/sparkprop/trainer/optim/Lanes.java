// Runs an elementwise loop over [0, n) as contiguous ranges, on several threads or on the calling one alone.
package io.sparkprop.trainer.optim;

/**
 * The optimizer step and the gradient's averaging are elementwise, so cutting [0, P) into ranges changes no bit
 * of the result: an engine with idle threads between its steps lends them here (the in-process engine its
 * workers, the Spark engine a small pool on the driver; see {@code PoolLanes}).
 */
public interface Lanes {
    /** A loop body over the range [from, to). */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /** Runs {@code body} over ranges that cover [0, n) once, and returns when all of them are done. */
    void run(int n, Body body);

    /** Everything on the calling thread, as one range. */
    Lanes SERIAL = (n, body) -> body.run(0, n);
}
