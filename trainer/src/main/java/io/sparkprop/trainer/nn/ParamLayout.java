// The one place that knows where each weight matrix and bias vector lives in the flat parameter vector.
package io.sparkprop.trainer.nn;

import java.io.Serializable;

/**
 * Params, grads and every optimizer moment are flat {@code double[P]} arrays with this layout:
 * <pre>
 *   for each layer l = 0..L-1 that owns weights (in_l → out_l):
 *     W_l: (out_l × in_l), column-major, at wOffset(l)
 *     b_l: (out_l),                       at bOffset(l) = wOffset(l) + out_l·in_l
 * </pre>
 * For a dense layer in_l and out_l are its units; for a conv2d layer of a layer list (see {@link LayerStack})
 * in_l = filters and out_l = channels·k·k, its W_l read transposed: (channels·k·k × filters) column-major is
 * PyTorch's (filters, channels, k, k) weight in row-major order. Its bias (filters) follows at bOffset(l).
 * Layers read W_l and write dW_l in place: every {@link io.sparkprop.trainer.kernel.Gemm} product takes an
 * offset into the flat array, so no step copies a layer's weights or gradient. In float64 they read θ itself and
 * accumulate into the caller's gradient; the float32 pass reads one float copy of θ (rounded once per step, or
 * received as floats) and each layer overwrites its slice of a float partial that the caller widens and adds.
 * A batch-norm layer of C channels has no W_l (in_l = 0, out_l = C) and a "bias" of 4C values: γ, β, then its
 * running mean and variance, which are buffers, not parameters: no gradient reaches them (so no optimizer moves
 * them), weight decay skips them like every bias, and {@link RunningStatistics} writes them after each step.
 */
public final class ParamLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] in;
    private final int[] out;
    private final int[] bias;
    private final int[] fanIn;
    private final int[] fanOut;
    private final int[] wOffset;
    /** Channels of a batch-norm layer, 0 for other layers. */
    private final int[] norm;
    private final int size;

    /** @param sizes units per layer boundary: {in, hidden..., out} */
    public ParamLayout(int[] sizes) {
        this(java.util.Arrays.copyOf(sizes, sizes.length - 1), java.util.Arrays.copyOfRange(sizes, 1, sizes.length),
                java.util.Arrays.copyOfRange(sizes, 1, sizes.length), java.util.Arrays.copyOf(sizes, sizes.length - 1),
                java.util.Arrays.copyOfRange(sizes, 1, sizes.length));
    }

    /**
     * W_l: (out[l] × in[l]) followed by a bias of bias[l] values, for each l; fanIn and fanOut (the inputs and
     * outputs one weight touches, for the initial draw) are in and out for a dense layer.
     */
    ParamLayout(int[] in, int[] out, int[] bias, int[] fanIn, int[] fanOut) {
        this(in, out, bias, fanIn, fanOut, new int[in.length]);
    }

    /** As above; norm[l] &gt; 0 marks a batch-norm layer of that many channels. */
    ParamLayout(int[] in, int[] out, int[] bias, int[] fanIn, int[] fanOut, int[] norm) {
        this.norm = norm.clone();
        this.in = in.clone();
        this.out = out.clone();
        this.bias = bias.clone();
        this.fanIn = fanIn.clone();
        this.fanOut = fanOut.clone();
        this.wOffset = new int[in.length];
        long p = 0;
        for (int l = 0; l < in.length; l++) {
            wOffset[l] = (int) Math.min(p, Integer.MAX_VALUE);
            p += (long) out[l] * in[l] + bias[l];
        }
        if (p > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("network too large: " + p + " parameters");
        }
        this.size = (int) p;
    }

    /** P, the length of θ: the trainable parameters and batch-norm's running statistics. */
    public int size() {
        return size;
    }

    /** The running means and variances of the batch-norm layers (2C per layer of C channels): θ's buffers. */
    public int runningStatistics() {
        int n = 0;
        for (int l = 0; l < layers(); l++) n += 2 * normChannels(l);
        return n;
    }

    /** The entries of θ a gradient reaches and an optimizer moves: P minus the running statistics. */
    public int trainable() {
        return size - runningStatistics();
    }

    public int layers() {
        return wOffset.length;
    }

    public int in(int l) {
        return in[l];
    }

    public int out(int l) {
        return out[l];
    }

    /** Inputs feeding one output of layer l (channels·k·k for conv2d), for He and Xavier draws. */
    public int fanIn(int l) {
        return fanIn[l];
    }

    /** Outputs one input of layer l feeds (filters·k·k for conv2d, as PyTorch counts it). */
    public int fanOut(int l) {
        return fanOut[l];
    }

    /** Entries of b_l: out(l) for a dense layer, the filters of a conv2d layer. */
    public int biasSize(int l) {
        return bias[l];
    }

    /** Channels of layer l when it is a batch-norm layer (γ at bOffset, β, running mean, running variance), else 0. */
    public int normChannels(int l) {
        return norm == null ? 0 : norm[l];
    }

    public int wOffset(int l) {
        return wOffset[l];
    }

    public int bOffset(int l) {
        return wOffset[l] + out[l] * in[l];
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
