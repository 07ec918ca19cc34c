// The pure-Java kernel: ojAlgo's R064Store product (R032Store for floats), always available.
package io.sparkprop.trainer.kernel;

import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/**
 * ojAlgo's fast multiply needs both operands as plain {@code R064Store}s (a transposed view falls back to a
 * slow path) and stores cannot view an array at an offset. So each operand is copied — transposed where
 * op() asks — into a scratch store kept per shape; scratch is allocated on first use and reused after, so
 * a loop over one batch size allocates nothing. The copies are O(mk + kn + mn) against O(mnk) for the product.
 * Single precision runs the same scheme on {@code R032Store}s, with its own scratch stores.
 */
public final class OjAlgoGemm implements Gemm {
    static {
        // The engines parallelise themselves (train.threads, one Spark task per core); ojAlgo's own worker
        // threads on top of that would oversubscribe the cores.
        OjAlgoUtils.limitThreadsTo(1);
    }

    /** Shapes kept: a step of an L-layer network uses at most 3L − 1, evaluation L more. */
    private static final int MAX_SHAPES = 24;
    /** Bit 63 of a key marks single-precision scratch (key() uses bits 0..62). */
    private static final long FLOAT = Long.MIN_VALUE;
    /**
     * Scratch stores per shape and precision, most recently used first: a Spark share size changes every step,
     * so the set is bounded. Primitive keys and a linear search keep the lookup itself allocation-free.
     */
    private final long[] keys = new long[MAX_SHAPES];
    private final Object[] stores = new Object[MAX_SHAPES];
    private int count;

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int offA, double[] b, int offB, double beta, double[] c, int offC) {
        long key = key(m, n, k);
        R064Store[] s = (R064Store[]) find(key);
        if (s == null) {
            s = new R064Store[] {R064Store.FACTORY.make(m, k), R064Store.FACTORY.make(k, n),
                R064Store.FACTORY.make(m, n)};
            remember(key, s);
        }
        copy(a, offA, transA, m, k, s[0].data);
        copy(b, offB, transB, k, n, s[1].data);
        s[2].fillByMultiplying(s[0], s[1]);
        double[] prod = s[2].data;
        if (beta == 0.0) {
            System.arraycopy(prod, 0, c, offC, m * n);
        } else {
            for (int i = 0; i < m * n; i++) {
                c[offC + i] = beta * c[offC + i] + prod[i];
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        long key = key(m, n, k) | FLOAT;
        R032Store[] s = (R032Store[]) find(key);
        if (s == null) {
            s = new R032Store[] {R032Store.FACTORY.make(m, k), R032Store.FACTORY.make(k, n),
                R032Store.FACTORY.make(m, n)};
            remember(key, s);
        }
        copy(a, offA, transA, m, k, s[0].data);
        copy(b, offB, transB, k, n, s[1].data);
        s[2].fillByMultiplying(s[0], s[1]);
        float[] prod = s[2].data;
        if (beta == 0.0f) {
            System.arraycopy(prod, 0, c, offC, m * n);
        } else {
            for (int i = 0; i < m * n; i++) {
                c[offC + i] = beta * c[offC + i] + prod[i];
            }
        }
    }

    /** dst (rows × cols) ← src, which is stored either as rows × cols or, when trans, as cols × rows. */
    private static void copy(double[] src, int off, boolean trans, int rows, int cols, double[] dst) {
        if (!trans) {
            System.arraycopy(src, off, dst, 0, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                dst[i + j * rows] = src[off + j + i * cols];
            }
        }
    }

    /** The float twin of {@link #copy(double[], int, boolean, int, int, double[])}. */
    private static void copy(float[] src, int off, boolean trans, int rows, int cols, float[] dst) {
        if (!trans) {
            System.arraycopy(src, off, dst, 0, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                dst[i + j * rows] = src[off + j + i * cols];
            }
        }
    }

    /** The scratch for key, moved to the front, or null. */
    private Object find(long key) {
        for (int i = 0; i < count; i++) {
            if (keys[i] == key) {
                Object s = stores[i];
                System.arraycopy(keys, 0, keys, 1, i);
                System.arraycopy(stores, 0, stores, 1, i);
                keys[0] = key;
                stores[0] = s;
                return s;
            }
        }
        return null;
    }

    /** Puts s in front, dropping the least recently used shape when all slots are taken. */
    private void remember(long key, Object s) {
        int kept = Math.min(count, MAX_SHAPES - 1);
        System.arraycopy(keys, 0, keys, 1, kept);
        System.arraycopy(stores, 0, stores, 1, kept);
        keys[0] = key;
        stores[0] = s;
        count = kept + 1;
    }

    private static long key(int m, int n, int k) {
        return ((long) m << 42) ^ ((long) n << 21) ^ k;
    }

    @Override
    public String name() {
        return "ojalgo";
    }
}
