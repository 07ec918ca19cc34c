// The single-precision buffers of a workspace (compute.precision = float32): Workspace.Buffers' shapes, as floats.
package io.sparkprop.trainer.nn;

/**
 * For up to {@code capacity} rows, column-major (units × n), the same roles as {@link Workspace.Buffers}:
 * a, z, h, mask, dA, delta per layer boundary, p (outputs × n), dX (inputs × n). Targets stay double
 * (class indices and regression values are read, never multiplied). {@code pWide} and {@code dXWide}
 * hold p and dX widened for callers that read double (evaluation metrics, the gradient check).
 */
final class FloatBuffers {
    final int capacity;
    int n;
    final float[][] a;
    final float[][] z;
    final float[][] h;
    final float[][] mask;
    final float[][] dA;
    final float[][] delta;
    final float[] p;
    final float[] dX;
    final double[] pWide;
    final double[] dXWide;
    double[] y = new double[0];

    FloatBuffers(Network net, int n) {
        this.capacity = n;
        this.n = n;
        int depth = net.depth();
        a = new float[depth + 1][];
        z = new float[depth + 1][];
        h = new float[depth + 1][];
        mask = new float[depth + 1][];
        dA = new float[depth + 1][];
        delta = new float[depth + 1][];
        a[0] = new float[net.units(0) * n];
        for (int l = 1; l <= depth; l++) {
            int u = net.units(l) * n;
            z[l] = new float[u];
            delta[l] = new float[u];
            if (l < depth) {
                h[l] = new float[u];
                dA[l] = new float[u];
                if (net.dropout > 0) {
                    a[l] = new float[u];
                    mask[l] = new float[u];
                } else {
                    a[l] = h[l];
                }
            }
        }
        p = new float[net.outputs() * n];
        dX = new float[net.inputs() * n];
        pWide = new double[p.length];
        dXWide = new double[dX.length];
    }

    /** Targets buffer (t × n), grown on first use for the data's target count. */
    double[] y(int t) {
        if (y.length < t * capacity) {
            y = new double[t * capacity];
        }
        return y;
    }

    /** dst[0..count) = src[0..count) widened (exact). */
    static double[] widen(float[] src, double[] dst, int count) {
        for (int i = 0; i < count; i++) dst[i] = src[i];
        return dst;
    }
}
