// max-pool and avg-pool over size × size windows of each channel, forward and backward, double and float.
package io.sparkprop.trainer.nn;

import java.util.Arrays;

/**
 * Input (C, H, W), output (C, OH, OW) per example, OH = (H − size) / stride + 1, no padding. Every pass walks
 * the windows in one order (plane, oy, ox; {@link #first} is a window's top-left input index) and does its
 * kind's work per window: max takes the largest value with {@code Math.max} (branch-free), avg the mean.
 * Max pooling's backward sends each output's gradient to the first input of its window, in row-major order,
 * that equals the output (found again from the saved input and output instead of an index array kept per
 * output), which is where PyTorch sends it too; a NaN window sends it to its first NaN.
 */
final class Pool {
    final Shape in;
    final Shape out;
    final int size;
    final int stride;
    final boolean max;
    /** The windows cover every input exactly once (stride = size, H and W multiples of it). */
    final boolean tiles;

    Pool(Shape in, Shape out, LayerSpec s) {
        this.in = in;
        this.out = out;
        this.size = s.kernel();
        this.stride = s.stride();
        this.max = s.kind() == LayerKind.MAX_POOL;
        this.tiles = stride == size && in.height() == out.height() * size && in.width() == out.width() * size;
    }

    /** Windows of n examples: output index o runs with (plane, oy, ox) in row-major order. */
    private int windows(int n) {
        return n * out.size();
    }

    /** The input index of output o's window's top-left value. */
    private int first(int o) {
        int ow = out.width(), oh = out.height();
        int ox = o % ow;
        int rest = o / ow;
        int oy = rest % oh;
        int plane = rest / oh;
        return plane * in.height() * in.width() + oy * stride * in.width() + ox * stride;
    }

    /** a = pool(x) for n examples. */
    void forward(double[] a, double[] x, int n) {
        int w = in.width(), ow = out.width();
        double scale = 1.0 / (size * size);
        for (int row = 0; row < windows(n); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int f = start + ox * stride;
                double acc = max ? x[f] : 0.0;
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) {
                        acc = max ? Math.max(acc, x[i]) : acc + x[i];
                    }
                }
                a[row + ox] = max ? acc : acc * scale;
            }
        }
    }

    /** dIn = ∂loss/∂x (overwritten) from dOut = ∂loss/∂a, given the forward's input x and output a. */
    void backward(double[] dIn, double[] dOut, double[] x, double[] a, int n) {
        if (!tiles) {
            Arrays.fill(dIn, 0, n * in.size(), 0.0);
        }
        int w = in.width(), ow = out.width();
        double scale = 1.0 / (size * size);
        for (int row = 0; row < windows(n); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int o = row + ox;
                int f = start + ox * stride;
                if (tiles) {
                    // this window's inputs are cleared here, while in cache, instead of in a pass of their own
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] = 0.0;
                    }
                }
                if (max) {
                    dIn[argmax(x, f, w, a[o])] += dOut[o];
                    continue;
                }
                double d = dOut[o] * scale;
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] += d;
                }
            }
        }
    }

    /** The first index of the window at f holding m (or, when m is NaN, a NaN). */
    private int argmax(double[] x, int f, int w, double m) {
        int at = f;
        // backwards, so the first match is the one kept; a select rather than an unpredictable early exit
        for (int ky = size - 1; ky >= 0; ky--) {
            for (int i = f + ky * w + size - 1; i >= f + ky * w; i--) {
                double v = x[i];
                at = v == m || v != v ? i : at;
            }
        }
        return at;
    }

    /** Single precision; the window's sum is taken in float. */
    void forward(float[] a, float[] x, int n) {
        int w = in.width(), ow = out.width();
        float scale = 1.0f / (size * size);
        for (int row = 0; row < windows(n); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int f = start + ox * stride;
                float acc = max ? x[f] : 0.0f;
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) {
                        acc = max ? Math.max(acc, x[i]) : acc + x[i];
                    }
                }
                a[row + ox] = max ? acc : acc * scale;
            }
        }
    }

    void backward(float[] dIn, float[] dOut, float[] x, float[] a, int n) {
        if (!tiles) {
            Arrays.fill(dIn, 0, n * in.size(), 0.0f);
        }
        int w = in.width(), ow = out.width();
        float scale = 1.0f / (size * size);
        for (int row = 0; row < windows(n); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int o = row + ox;
                int f = start + ox * stride;
                if (tiles) {
                    // this window's inputs are cleared here, while in cache, instead of in a pass of their own
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] = 0.0f;
                    }
                }
                if (max) {
                    dIn[argmax(x, f, w, a[o])] += dOut[o];
                    continue;
                }
                float d = dOut[o] * scale;
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] += d;
                }
            }
        }
    }

    private int argmax(float[] x, int f, int w, float m) {
        int at = f;
        // backwards, so the first match is the one kept; a select rather than an unpredictable early exit
        for (int ky = size - 1; ky >= 0; ky--) {
            for (int i = f + ky * w + size - 1; i >= f + ky * w; i--) {
                float v = x[i];
                at = v == m || v != v ? i : at;
            }
        }
        return at;
    }
}
