// The one place that knows where each weight matrix and bias vector lives in the flat parameter vector.
package io.sparkprop.trainer.nn;

import java.io.Serializable;

/**
 * Params, grads and every optimizer moment are flat {@code double[P]} arrays with this layout:
 * <pre>
 *   for each dense layer l = 0..L-1 (in_l → out_l):
 *     W_l: (out_l × in_l), column-major, at wOffset(l)
 *     b_l: (out_l),                       at bOffset(l) = wOffset(l) + out_l·in_l
 * </pre>
 * Layers read W_l and write dW_l in place: every {@link io.sparkprop.trainer.kernel.Gemm} product takes an
 * offset into the flat array, so no step copies a layer's weights or gradient. In float64 they read θ itself and
 * accumulate into the caller's gradient; the float32 pass reads one float copy of θ (rounded once per step, or
 * received as floats) and each layer overwrites its slice of a float partial that the caller widens and adds.
 */
public final class ParamLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final int[] wOffset;
    private final int size;

    /** @param sizes units per layer boundary: {in, hidden..., out} */
    public ParamLayout(int[] sizes) {
        this.sizes = sizes.clone();
        this.wOffset = new int[sizes.length - 1];
        long p = 0;
        for (int l = 0; l < sizes.length - 1; l++) {
            wOffset[l] = (int) p;
            p += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
        }
        if (p > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("network too large: " + p + " parameters");
        }
        this.size = (int) p;
    }

    public int size() {
        return size;
    }

    public int layers() {
        return wOffset.length;
    }

    public int in(int l) {
        return sizes[l];
    }

    public int out(int l) {
        return sizes[l + 1];
    }

    public int wOffset(int l) {
        return wOffset[l];
    }

    public int bOffset(int l) {
        return wOffset[l] + sizes[l + 1] * sizes[l];
    }

    /** True for entries of a weight matrix, false for biases (weight decay skips biases). */
    public boolean isWeight(int i) {
        for (int l = layers() - 1; l >= 0; l--) {
            if (i >= wOffset[l]) {
                return i < bOffset(l);
            }
        }
        return false;
    }

    /** mask[i] = {@link #isWeight}(i) for every i &lt; P, computed in O(P). */
    public boolean[] weightMask() {
        boolean[] mask = new boolean[size];
        for (int l = 0; l < layers(); l++) {
            for (int i = wOffset(l), end = bOffset(l); i < end; i++) {
                mask[i] = true;
            }
        }
        return mask;
    }

    /** Human-readable tensor name for reports, e.g. "W1" or "b2" (1-based like the maths). */
    public String tensorName(int i) {
        for (int l = layers() - 1; l >= 0; l--) {
            if (i >= wOffset[l]) {
                return (i < bOffset(l) ? "W" : "b") + (l + 1);
            }
        }
        throw new IndexOutOfBoundsException(i);
    }
}
