// Lanes on a thread pool: the calling thread takes the first range, T − 1 pool threads the others.
package io.sparkprop.trainer.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.sparkprop.trainer.optim.Lanes;

/**
 * For the elementwise loops between the products (summing partials, averaging, the optimizer step): the in-process
 * engine lends its workers' pool, the Spark driver keeps a small one of its own for the update it applies while
 * the tasks wait. Ranges split [0, n) evenly; the results do not depend on the cut.
 */
public final class PoolLanes implements Lanes, AutoCloseable {
    /** Below this many parameters (128k) handing the update's loops to other threads costs more than it saves
     * (bench update-lanes-vs-serial: below 1 at 65k values, above 1 at 235k and 4M). */
    public static final int MIN_PARAMS = 1 << 17;

    private final ExecutorService pool;
    private final boolean ownsPool;
    private final int threads;
    private final Future<?>[] pending;

    /** Over {@code pool}, which has at least threads − 1 threads and stays the caller's to shut down. */
    public PoolLanes(ExecutorService pool, int threads) {
        this(pool, false, threads);
    }

    private PoolLanes(ExecutorService pool, boolean owns, int threads) {
        this.pool = pool;
        this.ownsPool = owns;
        this.threads = Math.max(1, threads);
        this.pending = new Future<?>[this.threads];
    }

    /** With a pool of its own (daemon threads) of threads − 1 threads. */
    public static PoolLanes ofThreads(int threads, String name) {
        int t = Math.max(1, threads);
        ExecutorService pool = t == 1 ? null : Executors.newFixedThreadPool(t - 1, r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        });
        return new PoolLanes(pool, true, t);
    }

    /** These lanes where θ has at least {@link #MIN_PARAMS} values, else {@link Lanes#SERIAL}. */
    public Lanes forParams(int params) {
        return threads > 1 && params >= MIN_PARAMS ? this : Lanes.SERIAL;
    }

    @Override
    public void run(int n, Body body) {
        int t = Math.min(threads, n);
        if (t <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        for (int i = 1; i < t; i++) {
            int a = (int) ((long) n * i / t);
            int b = (int) ((long) n * (i + 1) / t);
            pending[i] = pool.submit(() -> body.run(a, b));
        }
        RuntimeException failed = null;
        try {
            body.run(0, (int) ((long) n / t));
        } catch (RuntimeException e) {
            failed = e;
        }
        for (int i = 1; i < t; i++) {
            try {
                pending[i].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failed == null) failed = new IllegalStateException(e);
            } catch (ExecutionException e) {
                if (failed == null) {
                    failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } finally {
                pending[i] = null;
            }
        }
        if (failed != null) throw failed;
    }

    @Override
    public void close() {
        if (ownsPool && pool != null) pool.shutdownNow();
    }
}
