// FloatConvPool (relu conv2d and 2×2 max-pool run together) against FloatConv2d then Pool layer by layer.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.kernel.Gemm;
import io.sparkprop.trainer.kernel.OjAlgoGemm;

class FloatConvPoolTest {
    private static final Shape IN = new Shape(2, 6, 8);
    private static final LayerSpec CONV = LayerSpec.conv2d(3, 3, 1, 1, Activation.RELU);
    private static final LayerSpec POOL = LayerSpec.maxPool(2, 2);

    @Test
    void givesTheBitsOfConvThenPoolWithTiedWindowsAndSeveralBlocks() {
        check(false);
    }

    @Test
    void picksAWindowsFirstNaNAsPoolDoes() {
        check(true);
    }

    private static void check(boolean nan) {
        Shape mid = CONV.kind().out(CONV, IN);
        Shape out = POOL.kind().out(POOL, mid);
        int n = 5;
        // blocks of one example, so the products run per block as in a large batch
        FloatConv2d conv = new FloatConv2d(IN, mid, CONV, 3 * 3 * 2 * mid.height() * mid.width());
        assertTrue(conv.block(n) < n, "more than one block");
        Pool layered = new Pool(mid, out, POOL, n);
        Pool fusedPool = new Pool(mid, out, POOL, n);
        assertTrue(FloatConvPool.fits(conv, fusedPool));
        SplittableRandom r = new SplittableRandom(7);
        int kk = conv.kk, f = mid.channels();
        float[] params = new float[kk * f + f];
        for (int i = 0; i < params.length; i++) params[i] = (float) r.nextGaussian() * 0.5f;
        float[] x = new float[IN.size() * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        // a plane of equal inputs gives windows of tied values (and many relu zeros), a NaN a NaN window
        for (int i = 0; i < IN.height() * IN.width(); i++) x[IN.size() + i] = 0.25f;
        if (nan) x[3 * IN.size() + 17] = Float.NaN;
        float[] dOut = new float[out.size() * n];
        for (int i = 0; i < dOut.length; i++) dOut[i] = (float) r.nextGaussian();
        float[] cols = new float[(int) conv.colsSize(n)];
        float[] tile = new float[(int) conv.tileSize(n)];
        Gemm gemm = new OjAlgoGemm();
        int wOff = 0, bOff = kk * f;

        float[] a1 = new float[mid.size() * n], p1 = new float[out.size() * n], dMid = new float[a1.length];
        float[] g1 = new float[params.length], dIn1 = new float[x.length];
        conv.forward(a1, params, wOff, bOff, x, n, cols, tile, gemm);
        layered.forward(p1, a1, n);
        layered.backward(dMid, dOut, a1, p1, n);
        conv.backward(dIn1, g1, dMid, params, wOff, bOff, x, a1, n, cols, tile, gemm);

        float[] p2 = new float[p1.length], g2 = new float[params.length], dIn2 = new float[x.length];
        Arrays.fill(g2, 9f); // overwritten, as the layered path's gradient is
        FloatConvPool.forward(conv, fusedPool, p2, params, wOff, bOff, x, n, cols, tile, gemm);
        FloatConvPool.backward(conv, fusedPool, dIn2, g2, dOut, params, wOff, bOff, x, p2, n, cols, tile, gemm);

        assertEquals(nan, hasNaN(p1), "NaN windows exactly when a NaN is fed");
        assertTrue(ties(a1, mid), "the data exercise tied windows");
        assertArrayEquals(bits(p1), bits(p2), "pooled output");
        assertArrayEquals(layered.winner, fusedPool.winner, "winners");
        assertArrayEquals(bits(g1), bits(g2), "∂loss/∂θ");
        assertArrayEquals(bits(dIn1), bits(dIn2), "∂loss/∂x");
    }

    private static boolean hasNaN(float[] v) {
        for (float x : v) if (x != x) return true;
        return false;
    }

    /** Some 2×2 window of the conv's output holds two equal values. */
    private static boolean ties(float[] a, Shape s) {
        for (int c = 0; c < a.length / (s.height() * s.width()); c++) {
            for (int y = 0; y < s.height(); y += 2) {
                for (int x = 0; x < s.width(); x += 2) {
                    int f = c * s.height() * s.width() + y * s.width() + x;
                    float[] w = {a[f], a[f + 1], a[f + s.width()], a[f + s.width() + 1]};
                    for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) if (w[i] == w[j]) return true;
                }
            }
        }
        return false;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
