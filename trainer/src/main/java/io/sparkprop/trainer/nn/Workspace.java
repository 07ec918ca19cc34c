// Per-thread buffers for forward and backward passes, grown to the largest batch seen and reused every step
// (double, or float under compute.precision = float32: chosen once, from the network, when it is built).
package io.sparkprop.trainer.nn;

import org.ojalgo.matrix.store.R064Store;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * Holds the kernel (with its scratch) and the activations of every layer for batches of up to
 * {@code capacity} rows. The ojAlgo stores serve only as column-major arrays ({@code .data}): every product
 * goes through {@link Gemm} on those arrays.
 * Shapes for layer boundary l (0 = input, L = logits), all column-major (units × n):
 * <pre>
 *   a[l]:  (units_l × n)  input of dense layer l (a[0] = X); hidden: output after activation and dropout
 *   z[l]:  (units_l × n)  pre-activation of boundary l ≥ 1 (z[L] = logits)
 *   h[l]:  (units_l × n)  activation before dropout (same store as a[l] when dropout is off)
 *   mask:  (units_l × n)  inverted-dropout multipliers, 0 or 1/(1−p)
 *   dA, delta: scratch for backward; y: (targets × n); p: predictions (outputs × n)
 * </pre>
 * A batch of n rows uses the first (units × n) values of each array (column-major, so that prefix is exactly
 * the n-column matrix). Spark partitions see a slightly different share size at every step: one set of
 * buffers, grown to the largest size seen, serves them all — buffers per size would allocate tens of MB per
 * step and keep every one of them.
 */
public final class Workspace {
    final Network net;
    final Gemm gemm;
    private Buffers buffers;
    /** Single precision (the network's compute.precision): float buffers, float θ, a float partial. */
    final boolean float32;
    private FloatBuffers floatBuffers;
    /** A layer-list network's buffers (double or float, by {@link #float32}). */
    private StackBuffers stackBuffers;
    /** θ rounded to float (P values) by the float path's entry points that take a double θ. */
    final float[] paramsF;
    /** The float partial gradient (P values) of one call, widened by the caller while it adds it into a double sum. */
    final float[] gradF;
    /** Global row identity of each gathered row (drives the dropout mask, independent of partitioning). */
    int[] rowId = new int[0];
    /** Weight of each gathered row, filled only when the batch is weighted. */
    double[] rowWeight = new double[0];
    /** Gradient w.r.t. the input rows, filled by backward when {@link #wantInputGradient} is set. */
    boolean wantInputGradient;
    /** Told by the backward pass as each layer's gradient is complete ({@link Overlap}). */
    Overlap overlap = Overlap.NONE;
    /** Turns a batch-norm layer's shard sums into the global batch's ({@link BatchSums}). */
    BatchSums batchSums = BatchSums.ONE_SHARD;

    Workspace(Network net, Gemm gemm) {
        this.net = net;
        this.gemm = gemm;
        this.float32 = net.float32;
        this.paramsF = float32 ? new float[net.paramCount()] : null;
        this.gradF = float32 ? new float[net.paramCount()] : null;
    }

    public Gemm gemm() {
        return gemm;
    }

    /** The buffers, grown if they hold fewer than n columns, set to n rows. */
    Buffers buffers(int n) {
        if (buffers == null || buffers.capacity < n) {
            buffers = new Buffers(net, n);
        }
        buffers.n = n;
        if (rowId.length < n) {
            rowId = new int[n];
            rowWeight = new double[n];
        }
        return buffers;
    }

    /** A layer-list network's buffers, grown if they hold fewer than n columns, set to n rows. */
    StackBuffers stackBuffers(int n) {
        if (stackBuffers == null || stackBuffers.capacity < n) {
            stackBuffers = null; // the old set can be collected before the larger one is made
            stackBuffers = new StackBuffers(net.stack, n, float32);
        }
        stackBuffers.n = n;
        if (rowId.length < n) {
            rowId = new int[n];
        }
        return stackBuffers;
    }

    /** The float buffers, grown if they hold fewer than n columns, set to n rows. */
    FloatBuffers floatBuffers(int n) {
        if (floatBuffers == null || floatBuffers.capacity < n) {
            floatBuffers = new FloatBuffers(net, n);
        }
        floatBuffers.n = n;
        if (rowId.length < n) {
            rowId = new int[n];
            rowWeight = new double[n];
        }
        return floatBuffers;
    }

    /** The last {@link Objective#lossAndFloatGradient} call's float Σ ∂loss/∂θ (float32 workspaces only). */
    public float[] floatGradient() {
        return gradF;
    }

    /** True when this workspace computes in single precision. */
    public boolean isFloat32() {
        return float32;
    }

    /** Input gradient (inputs × n, the array's first values) of the last backward pass with {@link #setWantInputGradient}. */
    public double[] inputGradient(int n) {
        if (net.stack != null) {
            StackBuffers b = stackBuffers(n);
            return float32 ? FloatBuffers.widen(b.dActF[0], b.dXWide, net.inputs() * n) : b.dAct[0];
        }
        if (float32) {
            FloatBuffers b = floatBuffers(n);
            return FloatBuffers.widen(b.dX, b.dXWide, net.inputs() * n);
        }
        return buffers(n).dX.data;
    }

    public void setWantInputGradient(boolean on) {
        wantInputGradient = on;
    }

    /** The hook the next passes call as each layer's gradient is complete; {@link Overlap#NONE} to stop. */
    public void setOverlap(Overlap hook) {
        overlap = hook == null ? Overlap.NONE : hook;
    }

    /** How batch-norm layers learn the global batch's sums; {@link BatchSums#ONE_SHARD} (null) when alone. */
    public void setBatchSums(BatchSums sums) {
        batchSums = sums == null ? BatchSums.ONE_SHARD : sums;
    }

    /** The layer-list buffers of the last pass, or null (none yet, or a dense network). */
    StackBuffers lastStackBuffers() {
        return stackBuffers;
    }

    /**
     * Copies of what the last pass over n rows left at layer boundary l (0 = input, L = logits), each
     * (units_l × n) column-major (a float32 workspace's floats widened): the input of layer l (a[0] = X; hidden: after activation and dropout)...
     */
    public double[] a(int l, int n) {
        if (float32) {
            return wide(floatBuffers(n).a[l], net.units(l) * n);
        }
        return java.util.Arrays.copyOf(buffers.a[l].data, net.units(l) * n);
    }

    /** ... the pre-activation z[l] = W·a[l−1] + b, l ≥ 1 ... */
    public double[] z(int l, int n) {
        if (float32) {
            return wide(floatBuffers(n).z[l], net.units(l) * n);
        }
        return java.util.Arrays.copyOf(buffers.z[l].data, net.units(l) * n);
    }

    /** ... and δ[l] = ∂loss/∂z[l], l ≥ 1, written by the last backward pass. */
    public double[] delta(int l, int n) {
        if (float32) {
            return wide(floatBuffers(n).delta[l], net.units(l) * n);
        }
        return java.util.Arrays.copyOf(buffers.delta[l].data, net.units(l) * n);
    }

    /** A new double copy of src[0..count) (float32 workspaces; exact). */
    private static double[] wide(float[] src, int count) {
        return FloatBuffers.widen(src, new double[count], count);
    }

    /** Predictions (outputs × n, the array's first values) of the last forward pass over n rows. */
    public double[] predictions(int n) {
        if (net.stack != null) {
            StackBuffers b = stackBuffers(n);
            return float32 ? FloatBuffers.widen(b.pF, b.pWide, net.outputs() * n) : b.p;
        }
        if (float32) {
            FloatBuffers b = floatBuffers(n);
            return FloatBuffers.widen(b.p, b.pWide, net.outputs() * n);
        }
        return buffers(n).p.data;
    }

    /** Buffers for up to capacity rows; n = the rows of the current batch. */
    static final class Buffers {
        final int capacity;
        int n;
        final R064Store[] a;
        final R064Store[] z;
        final R064Store[] h;
        final R064Store[] mask;
        final R064Store[] dA;
        final R064Store[] delta;
        final R064Store p;
        final R064Store dX;
        double[] y = new double[0];

        Buffers(Network net, int n) {
            this.capacity = n;
            this.n = n;
            int depth = net.depth();
            a = new R064Store[depth + 1];
            z = new R064Store[depth + 1];
            h = new R064Store[depth + 1];
            mask = new R064Store[depth + 1];
            dA = new R064Store[depth + 1];
            delta = new R064Store[depth + 1];
            a[0] = store(net.units(0), n);
            for (int l = 1; l <= depth; l++) {
                int u = net.units(l);
                z[l] = store(u, n);
                delta[l] = store(u, n);
                if (l < depth) {
                    h[l] = store(u, n);
                    dA[l] = store(u, n);
                    if (net.dropout > 0) {
                        a[l] = store(u, n);
                        mask[l] = store(u, n);
                    } else {
                        a[l] = h[l];
                    }
                }
            }
            p = store(net.outputs(), n);
            dX = store(net.inputs(), n);
        }

        /** Targets buffer (t × n), grown on first use for the data's target count. */
        double[] y(int t) {
            if (y.length < t * capacity) {
                y = new double[t * capacity];
            }
            return y;
        }

        private static R064Store store(int rows, int cols) {
            return R064Store.FACTORY.make(rows, cols);
        }
    }
}
