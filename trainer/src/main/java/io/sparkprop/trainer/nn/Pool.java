// max-pool and avg-pool over size × size windows of each channel, forward and backward, double and float.
package io.sparkprop.trainer.nn;

/**
 * Input (C, H, W), output (C, OH, OW) per example, OH = (H − size) / stride + 1, no padding. Max pooling
 * records, for every output value, the flat index (within the batch) of the input it took: the first maximum
 * of the window in row-major order, which is where PyTorch sends the gradient too. The running maximum is kept
 * with bit masks from the sign of m − v, not a branch: on data a branch predictor cannot guess this is about
 * 1.5× faster (a −0 after a +0 maximum counts as larger; ties otherwise keep the first).
 */
final class Pool {
    final Shape in;
    final Shape out;
    final int size;
    final int stride;
    final boolean max;

    Pool(Shape in, Shape out, LayerSpec s) {
        this.in = in;
        this.out = out;
        this.size = s.kernel();
        this.stride = s.stride();
        this.max = s.kind() == LayerKind.MAX_POOL;
    }

    /** a = pool(x) for n examples; argmax receives the max's input index (max pooling). */
    void forward(double[] a, int[] argmax, double[] x, int n) {
        int h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        double scale = 1.0 / (size * size);
        int o = 0;
        for (int plane = 0; plane < n * in.channels(); plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int first = base + oy * stride * w + ox * stride;
                    if (max) {
                        int best = first;
                        double m = x[first];
                        for (int ky = 0; ky < size; ky++) {
                            int row = first + ky * w;
                            for (int i = row; i < row + size; i++) {
                                double v = x[i];
                                long above = Double.doubleToRawLongBits(m - v) >> 63; // −1 when v > m, else 0
                                best ^= (best ^ i) & (int) above;
                                m = Double.longBitsToDouble(Double.doubleToRawLongBits(m)
                                        ^ ((Double.doubleToRawLongBits(m) ^ Double.doubleToRawLongBits(v)) & above));
                            }
                        }
                        argmax[o] = best;
                        a[o] = m;
                    } else {
                        double acc = 0;
                        for (int ky = 0; ky < size; ky++) {
                            int row = first + ky * w;
                            for (int i = row; i < row + size; i++) acc += x[i];
                        }
                        a[o] = acc * scale;
                    }
                }
            }
        }
    }

    /** dIn = ∂loss/∂x (overwritten) from dOut = ∂loss/∂a. */
    void backward(double[] dIn, double[] dOut, int[] argmax, int n) {
        java.util.Arrays.fill(dIn, 0, n * in.size(), 0.0);
        int count = n * out.size();
        if (max) {
            for (int o = 0; o < count; o++) dIn[argmax[o]] += dOut[o];
            return;
        }
        int h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        double scale = 1.0 / (size * size);
        int o = 0;
        for (int plane = 0; plane < n * in.channels(); plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int first = base + oy * stride * w + ox * stride;
                    double d = dOut[o] * scale;
                    for (int ky = 0; ky < size; ky++) {
                        for (int kx = 0; kx < size; kx++) dIn[first + ky * w + kx] += d;
                    }
                }
            }
        }
    }

    /** Single precision; the window's sum is taken in float. */
    void forward(float[] a, int[] argmax, float[] x, int n) {
        int h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        float scale = 1.0f / (size * size);
        int o = 0;
        for (int plane = 0; plane < n * in.channels(); plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int first = base + oy * stride * w + ox * stride;
                    if (max) {
                        int best = first;
                        float m = x[first];
                        for (int ky = 0; ky < size; ky++) {
                            int row = first + ky * w;
                            for (int i = row; i < row + size; i++) {
                                float v = x[i];
                                int above = Float.floatToRawIntBits(m - v) >> 31; // −1 when v > m, else 0
                                best ^= (best ^ i) & above;
                                m = Float.intBitsToFloat(Float.floatToRawIntBits(m)
                                        ^ ((Float.floatToRawIntBits(m) ^ Float.floatToRawIntBits(v)) & above));
                            }
                        }
                        argmax[o] = best;
                        a[o] = m;
                    } else {
                        float acc = 0;
                        for (int ky = 0; ky < size; ky++) {
                            int row = first + ky * w;
                            for (int i = row; i < row + size; i++) acc += x[i];
                        }
                        a[o] = acc * scale;
                    }
                }
            }
        }
    }

    void backward(float[] dIn, float[] dOut, int[] argmax, int n) {
        java.util.Arrays.fill(dIn, 0, n * in.size(), 0.0f);
        int count = n * out.size();
        if (max) {
            for (int o = 0; o < count; o++) dIn[argmax[o]] += dOut[o];
            return;
        }
        int h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        float scale = 1.0f / (size * size);
        int o = 0;
        for (int plane = 0; plane < n * in.channels(); plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int first = base + oy * stride * w + ox * stride;
                    float d = dOut[o] * scale;
                    for (int ky = 0; ky < size; ky++) {
                        for (int kx = 0; kx < size; kx++) dIn[first + ky * w + kx] += d;
                    }
                }
            }
        }
    }
}
