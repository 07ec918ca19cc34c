// max-pool and avg-pool over size × size windows of each channel, forward and backward, double and float.
package io.sparkprop.trainer.nn;

import java.util.Arrays;

/**
 * Input (C, H, W), output (C, OH, OW) per example, OH = (H − size) / stride + 1, no padding. Every pass walks
 * the windows in one order (output index o with (plane, oy, ox) row-major; {@link #first} is a window's top-left
 * input index) and does its kind's work per window: max takes the largest value with {@code Math.max}
 * (branch-free), avg the mean. Max pooling's backward sends each output's gradient to the first input of its
 * window, in row-major order, that equals the output, which is where PyTorch sends it too (a NaN window: its
 * first NaN). 2×2 windows of stride 2 that tile the input (the usual case) run as straight-line code: the
 * forward keeps each window's winner in a byte, and the backward writes every input's gradient once, with no
 * clearing pass. Other windows find the winner again from the saved input and output, with selects.
 */
final class Pool {
    final Shape in;
    final Shape out;
    final int size;
    final int stride;
    final boolean max;
    /** The windows cover every input exactly once (stride = size, H and W multiples of it). */
    final boolean tiles;
    /** tiles with size 2. */
    final boolean pairs;
    /**
     * Max pooling over pairs: each output's winner within its window (0..3, row-major), kept by the forward (or
     * {@link FloatConvPool}'s) for up to {@code capacity} examples so the backward reads one byte per output
     * instead of the whole input.
     */
    final byte[] winner;

    /** Pooling for batches of up to {@code capacity} examples. */
    Pool(Shape in, Shape out, LayerSpec s, int capacity) {
        this.in = in;
        this.out = out;
        this.size = s.kernel();
        this.stride = s.stride();
        this.max = s.kind() == LayerKind.MAX_POOL;
        this.tiles = stride == size && in.height() == out.height() * size && in.width() == out.width() * size;
        this.pairs = tiles && size == 2;
        this.winner = pairs && max ? new byte[capacity * out.size()] : null;
    }

    /** The first of four window values equal to m (or NaN), 0..3, as masks select it: no branch. */
    static int winner(int h0, int h1, int h2) {
        int e1 = h1 & ~h0;
        int e2 = h2 & ~(h0 | h1);
        int e3 = ~(h0 | h1 | h2);
        return (e1 & 1) | (e2 & 2) | (e3 & 3);
    }

    /** All ones when the winner p is q, else 0 (p, q in 0..3). */
    static int is(int p, int q) {
        return ((p ^ q) - 1) >> 31;
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
        for (int row = 0; row < n * out.size(); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int f = start + ox * stride;
                double acc;
                if (pairs) {
                    double x0 = x[f], x1 = x[f + 1], x2 = x[f + w], x3 = x[f + w + 1];
                    acc = max ? Math.max(Math.max(x0, x1), Math.max(x2, x3)) : 0.0 + x0 + x1 + x2 + x3;
                    if (max) {
                        winner[row + ox] = (byte) winner(hit(x0, acc), hit(x1, acc), hit(x2, acc));
                    }
                } else {
                    acc = max ? x[f] : 0.0;
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) {
                            acc = max ? Math.max(acc, x[i]) : acc + x[i];
                        }
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
        for (int row = 0; row < n * out.size(); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int o = row + ox;
                int f = start + ox * stride;
                double d = max ? dOut[o] : dOut[o] * scale;
                if (pairs) {
                    long m0 = -1L, m1 = -1L, m2 = -1L, m3 = -1L; // avg: every input takes d
                    if (max) {
                        int p = winner[o];
                        m0 = is(p, 0);
                        m1 = is(p, 1);
                        m2 = is(p, 2);
                        m3 = is(p, 3);
                    }
                    long bits = Double.doubleToRawLongBits(d);
                    dIn[f] = Double.longBitsToDouble(bits & m0);
                    dIn[f + 1] = Double.longBitsToDouble(bits & m1);
                    dIn[f + w] = Double.longBitsToDouble(bits & m2);
                    dIn[f + w + 1] = Double.longBitsToDouble(bits & m3);
                    continue;
                }
                if (tiles) {
                    // this window's inputs are cleared here, while in cache, instead of in a pass of their own
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] = 0.0;
                    }
                }
                if (max) {
                    dIn[argmax(x, f, w, a[o])] += d;
                    continue;
                }
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] += d;
                }
            }
        }
    }

    /** All ones when v is the window's maximum m (or a NaN), else 0. */
    private static int hit(double v, double m) {
        return v == m || v != v ? -1 : 0;
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
        for (int row = 0; row < n * out.size(); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int f = start + ox * stride;
                float acc;
                if (pairs) {
                    float x0 = x[f], x1 = x[f + 1], x2 = x[f + w], x3 = x[f + w + 1];
                    acc = max ? Math.max(Math.max(x0, x1), Math.max(x2, x3)) : 0.0f + x0 + x1 + x2 + x3;
                    if (max) {
                        winner[row + ox] = (byte) winner(hit(x0, acc), hit(x1, acc), hit(x2, acc));
                    }
                } else {
                    acc = max ? x[f] : 0.0f;
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) {
                            acc = max ? Math.max(acc, x[i]) : acc + x[i];
                        }
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
        for (int row = 0; row < n * out.size(); row += ow) {
            int start = first(row);
            for (int ox = 0; ox < ow; ox++) {
                int o = row + ox;
                int f = start + ox * stride;
                float d = max ? dOut[o] : dOut[o] * scale;
                if (pairs) {
                    int m0 = -1, m1 = -1, m2 = -1, m3 = -1; // avg: every input takes d
                    if (max) {
                        int p = winner[o];
                        m0 = is(p, 0);
                        m1 = is(p, 1);
                        m2 = is(p, 2);
                        m3 = is(p, 3);
                    }
                    int bits = Float.floatToRawIntBits(d);
                    dIn[f] = Float.intBitsToFloat(bits & m0);
                    dIn[f + 1] = Float.intBitsToFloat(bits & m1);
                    dIn[f + w] = Float.intBitsToFloat(bits & m2);
                    dIn[f + w + 1] = Float.intBitsToFloat(bits & m3);
                    continue;
                }
                if (tiles) {
                    for (int ky = 0; ky < size; ky++) {
                        for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] = 0.0f;
                    }
                }
                if (max) {
                    dIn[argmax(x, f, w, a[o])] += d;
                    continue;
                }
                for (int ky = 0; ky < size; ky++) {
                    for (int i = f + ky * w, end = i + size; i < end; i++) dIn[i] += d;
                }
            }
        }
    }

    private static int hit(float v, float m) {
        return v == m || v != v ? -1 : 0;
    }

    private int argmax(float[] x, int f, int w, float m) {
        int at = f;
        for (int ky = size - 1; ky >= 0; ky--) {
            for (int i = f + ky * w + size - 1; i >= f + ky * w; i--) {
                float v = x[i];
                at = v == m || v != v ? i : at;
            }
        }
        return at;
    }
}
