// The order in which a step's partial travels up the tree: fixed-size buckets of the gradient from its end first.
package io.sparkprop.spark.barrier;

/**
 * A step's partial is [ Σ∂loss/∂θ (P values) | loss, rows, ms ] ({@code PartialLayout}). The backward pass
 * finishes the gradient last layer first, so with a bucket size B &gt; 0 the partial goes up as
 * <pre>
 *   [P − B, P), [P − 2B, P − B), …, [0, P − kB), then the tail [P, length)
 * </pre>
 * each bucket once the local partial and every child's same bucket are in. With B = 0 it goes as one range
 * [0, length), after the whole pass. Within a bucket the values travel in {@link Link#CHUNK}-sized pieces from its
 * start, the pieces a receiver reads. Every value is still added as (own + S(2i+1)) + S(2i+2): the buckets change
 * when a value travels, never what is added to it, so the sum's bits do not depend on B.
 */
final class Buckets {
    private final int params;
    private final int[] from;
    private final int[] to;

    /**
     * @param params the gradient's length P
     * @param length the partial's length (P and the tail)
     * @param size   values per bucket; 0 for one range after the whole pass
     */
    Buckets(int params, int length, int size) {
        if (size < 0 || params > length) {
            throw new IllegalArgumentException("buckets of " + size + " over " + params + " of " + length);
        }
        int count = size == 0 ? 1 : (params + size - 1) / size + (length > params ? 1 : 0);
        this.params = params;
        this.from = new int[count];
        this.to = new int[count];
        if (size == 0) {
            to[0] = length;
            return;
        }
        int k = 0;
        for (int end = params; end > 0; end -= size, k++) {
            from[k] = Math.max(0, end - size);
            to[k] = end;
        }
        if (length > params) {
            from[k] = params;
            to[k] = length;
        }
    }

    int count() {
        return from.length;
    }

    int from(int k) {
        return from[k];
    }

    int to(int k) {
        return to[k];
    }

    /** Whether bucket k lies in the gradient (so may go before the tail is known). */
    boolean inGradient(int k) {
        return to[k] <= params;
    }
}
