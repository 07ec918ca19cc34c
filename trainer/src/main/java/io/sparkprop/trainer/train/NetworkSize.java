// Refuses a configured network that cannot be built on this JVM, as a user error naming model.hidden.
package io.sparkprop.trainer.train;

import java.util.Arrays;

import io.sparkprop.trainer.UserError;

/**
 * P = Σ_l (in_l·out_l + out_l) parameters live in one flat {@code double[P]}, so P must fit a Java array, and the
 * weights and their gradient (2 · 8 · P bytes, before any optimizer state or workspace) must fit the heap.
 */
final class NetworkSize {
    /** The largest array length the JVM reliably allocates (a few header words below Integer.MAX_VALUE). */
    static final long MAX_PARAMETERS = Integer.MAX_VALUE - 16;

    private NetworkSize() {
    }

    /** @param sizes {in, hidden..., out}; @param heapBytes the JVM's maximum heap, {@link Runtime#maxMemory()} */
    static void check(int[] sizes, long heapBytes) {
        long p = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            p += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        String net = "the network " + Arrays.toString(sizes) + " has " + String.format("%,d", p) + " parameters";
        if (p > MAX_PARAMETERS) {
            throw new UserError("model.hidden: " + net + ", more than the " + String.format("%,d", MAX_PARAMETERS)
                    + " one parameter array can hold");
        }
        long needed = 2 * Double.BYTES * p;
        if (needed > heapBytes) {
            throw new UserError("model.hidden: " + net + "; its weights and gradient alone need " + gb(needed)
                    + ", more than this JVM's " + gb(heapBytes) + " heap (-Xmx)");
        }
    }

    private static String gb(long bytes) {
        return String.format("%.1f GB", bytes / 1e9);
    }
}
