// A float relu conv2d followed by a 2×2 stride-2 max-pool, run together per block of examples so the conv's
// output (F × OH × OW per example, the network's largest activation) stays in cache and is never stored.
package io.sparkprop.trainer.nn;

import java.util.Arrays;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * The same values, bit for bit, as {@link FloatConv2d} then {@link Pool} layer by layer: each block's product
 * tile (F × b·P, {@link FloatConv2d#forward}) is biased, relu'd and pooled straight into the pool's output, the
 * pool's winners kept as {@link Pool} keeps them. The backward needs no conv output: under a max-pool only a
 * window's winner gets a gradient, and the winner's relu output is the pool's output, so δ (relu′ included) is
 * rebuilt in tile from the pool's dOut, winners and output, then summed for the bias in the conv's own order.
 */
final class FloatConvPool {
    private FloatConvPool() {
    }

    /** Whether conv (a relu conv2d) and pool (the next layer) can run fused. */
    static boolean fits(FloatConv2d conv, Pool pool) {
        return conv.relu && pool.pairs && pool.max;
    }

    /** a (pooled, F·P/4 per example) = maxpool(relu(conv(x) + b)) for n examples; W at wOff, b at bOff. */
    static void forward(FloatConv2d conv, Pool pool, float[] a, float[] params, int wOff, int bOff, float[] x,
                        int n, float[] cols, float[] tile, Gemm gemm) {
        int f = conv.out.channels(), pixels = conv.pixels, ow = conv.out.width();
        int ph = pool.out.height(), pw = pool.out.width(), pp = ph * pw;
        byte[] winner = pool.winner;
        int block = conv.block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            conv.im2col(x, first, b, cols);
            gemm.gemm(false, false, rows, f, conv.kk, cols, 0, params, wOff, 0.0f, tile, 0);
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int src = c * rows + e * pixels;
                    int o = ((first + e) * f + c) * pp;
                    float bias = params[bOff + c];
                    for (int py = 0; py < ph; py++) {
                        int t = src + 2 * py * ow;
                        for (int px = 0; px < pw; px++, t += 2, o++) {
                            float a0 = Math.max(tile[t] + bias, 0.0f), a1 = Math.max(tile[t + 1] + bias, 0.0f);
                            float a2 = Math.max(tile[t + ow] + bias, 0.0f);
                            float a3 = Math.max(tile[t + ow + 1] + bias, 0.0f);
                            float m = Math.max(Math.max(a0, a1), Math.max(a2, a3));
                            a[o] = m;
                            winner[o] = (byte) (m == m ? first(a0, a1, a2, m) : firstNaN(a0, a1, a2));
                        }
                    }
                }
            }
        }
    }

    /**
     * The first of four relu outputs equal to their maximum m (not NaN), as {@link Pool#winner}: relu outputs are
     * +0 or positive, never −0, so equal values are equal bits and a zero xor the only one below 1.
     */
    private static int first(float a0, float a1, float a2, float m) {
        int mb = Float.floatToRawIntBits(m);
        int h0 = ((Float.floatToRawIntBits(a0) ^ mb) - 1) >> 31;
        int h1 = ((Float.floatToRawIntBits(a1) ^ mb) - 1) >> 31;
        int h2 = ((Float.floatToRawIntBits(a2) ^ mb) - 1) >> 31;
        return Pool.winner(h0, h1, h2);
    }

    /** A window holding a NaN: its first NaN, as {@link Pool} picks it. */
    private static int firstNaN(float a0, float a1, float a2) {
        return Pool.winner(a0 != a0 ? -1 : 0, a1 != a1 ? -1 : 0, a2 != a2 ? -1 : 0);
    }

    /**
     * Given dOut = ∂loss/∂a and the forward's pooled output a: grad[W], grad[b] (overwritten) and dIn = ∂loss/∂x
     * (when not null), as {@link FloatConv2d#backward} after {@link Pool#backward}.
     */
    static void backward(FloatConv2d conv, Pool pool, float[] dIn, float[] grad, float[] dOut, float[] params,
                         int wOff, int bOff, float[] x, float[] a, int n, float[] cols, float[] tile, Gemm gemm) {
        int f = conv.out.channels(), pixels = conv.pixels, ow = conv.out.width();
        int ph = pool.out.height(), pw = pool.out.width(), pp = ph * pw;
        byte[] winner = pool.winner;
        int block = conv.block(n);
        Arrays.fill(grad, bOff, bOff + f, 0.0f);
        if (n == 0) {
            Arrays.fill(grad, wOff, wOff + conv.kk * f, 0.0f);
        }
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int dst = c * rows + e * pixels;
                    int o = ((first + e) * f + c) * pp;
                    for (int py = 0; py < ph; py++) {
                        int t = dst + 2 * py * ow;
                        for (int px = 0; px < pw; px++, t += 2, o++) {
                            // the winner's δ: dOut where its relu output (the pool's output) is > 0
                            int bits = Float.floatToRawIntBits(dOut[o]) & Activation.positive(a[o]);
                            int p = winner[o];
                            tile[t] = Float.intBitsToFloat(bits & Pool.is(p, 0));
                            tile[t + 1] = Float.intBitsToFloat(bits & Pool.is(p, 1));
                            tile[t + ow] = Float.intBitsToFloat(bits & Pool.is(p, 2));
                            tile[t + ow + 1] = Float.intBitsToFloat(bits & Pool.is(p, 3));
                        }
                    }
                    float sum = 0;
                    for (int q = dst; q < dst + pixels; q++) sum += tile[q];
                    grad[bOff + c] += sum;
                }
            }
            conv.products(dIn, grad, params, wOff, x, first, b, cols, tile, gemm);
        }
    }
}
