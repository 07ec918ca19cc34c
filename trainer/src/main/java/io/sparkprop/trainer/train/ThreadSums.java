// batch-norm's exchange between the in-process engine's threads: each posts its partial sums, they meet at a
// barrier, and each adds the partials in thread order, as the gradient's partials are added, so all get the same bits.
package io.sparkprop.trainer.train;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

import io.sparkprop.trainer.nn.BatchSums;

/**
 * For t threads: {@link #shard}(i) is thread i's {@link BatchSums}. A call copies the thread's partial into its
 * slot, waits for all t, then sums ((s₀ + s₁) + s₂) + … into the caller's array. Calls alternate between two sets
 * of slots, so one barrier per exchange suffices: a thread can write set c % 2 again only after every thread has
 * passed exchange c + 1, that is, after each has read exchange c. Slots grow once to the largest layer's sums.
 */
final class ThreadSums {
    private final int threads;
    private final CyclicBarrier barrier;
    private final double[][][] slots;
    private final int[] calls;
    private final BatchSums[] shards;

    ThreadSums(int threads) {
        this.threads = threads;
        this.barrier = new CyclicBarrier(threads);
        this.slots = new double[2][threads][0];
        this.calls = new int[threads];
        this.shards = new BatchSums[threads];
        for (int i = 0; i < threads; i++) {
            int me = i;
            shards[i] = (layer, backward, sums) -> allSum(me, sums);
        }
    }

    BatchSums shard(int i) {
        return shards[i];
    }

    /** Wakes every thread waiting in an exchange (they fail): a thread that failed will never arrive. */
    void abort() {
        barrier.reset();
    }

    private void allSum(int me, double[] sums) {
        double[][] set = slots[calls[me]++ & 1];
        if (set[me].length < sums.length) {
            set[me] = new double[sums.length];
        }
        System.arraycopy(sums, 0, set[me], 0, sums.length);
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in batch-norm's exchange", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another thread failed during batch-norm's exchange", e);
        }
        System.arraycopy(set[0], 0, sums, 0, sums.length);
        for (int t = 1; t < threads; t++) {
            double[] s = set[t];
            for (int j = 0; j < sums.length; j++) sums[j] += s[j];
        }
    }
}
