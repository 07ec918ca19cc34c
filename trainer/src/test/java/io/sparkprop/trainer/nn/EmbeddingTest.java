// The embedding lookup itself: which table row each code reads (the unseen code its reserved row), that the
// gradient touches only the rows used, and that a bad code fails naming its column.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class EmbeddingTest {
    /** Features [x0, color, x2]; color has 3 categories, so its table has rows 0..3 (3: unseen). */
    static final Categorical COLOR = new Categorical(new int[]{1}, new int[]{3}, List.of("color"));

    static double[] table() {
        double[] w = new double[4 * 2];
        for (int i = 0; i < w.length; i++) w[i] = 10 * (i / 2) + i % 2; // row r = [10r, 10r + 1]
        return w;
    }

    @Test
    void eachCodeReadsItsRowAndTheUnseenCodeTheReservedRow() {
        Embedding e = new Embedding(COLOR, 3, 2);
        double[] x = {0.5, 1, -0.5, 0.25, 3, 0.75}; // two examples: code 1, then code 3 (unseen)
        double[] y = new double[2 * e.outSize];
        e.forward(y, table(), 0, x, 2);
        assertArrayEquals(new double[]{10, 11, 0.5, -0.5, 30, 31, 0.25, 0.75}, y);
        float[] yf = new float[y.length];
        e.forward(yf, toFloat(table()), 0, toFloat(x), 2);
        for (int i = 0; i < y.length; i++) assertEquals(y[i], yf[i], 1e-7);
    }

    @Test
    void theGradientTouchesOnlyTheRowsUsed() {
        Embedding e = new Embedding(COLOR, 3, 2);
        double[] x = {0.5, 1, -0.5, 0.25, 3, 0.75};
        double[] dOut = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] grad = new double[8];
        double[] dIn = new double[6];
        e.backward(dIn, grad, dOut, x, 0, 2);
        assertArrayEquals(new double[]{0, 0, 1, 2, 0, 0, 5, 6}, grad);
        assertArrayEquals(new double[]{3, 0, 4, 7, 0, 8}, dIn);
        float[] gf = new float[8];
        java.util.Arrays.fill(gf, 99f); // the float partial is overwritten, untouched rows included
        e.backward(null, gf, toFloat(dOut), toFloat(x), 0, 2);
        for (int i = 0; i < 8; i++) assertEquals(grad[i], gf[i]);
    }

    @Test
    void aBadCodeFailsNamingTheColumn() {
        Embedding e = new Embedding(COLOR, 3, 2);
        for (double bad : new double[]{-1, 4, 1.5, Double.NaN}) {
            double[] x = {0, bad, 0};
            String m = assertThrows(IllegalArgumentException.class,
                    () -> e.forward(new double[e.outSize], table(), 0, x, 1)).getMessage();
            assertTrue(m.startsWith("categorical column color: value " + bad + " is not a category code"), m);
        }
    }

    @Test
    void freshWeightsDrawTablesFromAStandardNormalAndStartLayerNormAsTheIdentity() {
        Categorical big = new Categorical(new int[]{0}, new int[]{1999}, List.of("id"));
        LayerStack s = new LayerStack(Shape.flat(3), List.of(LayerSpec.embedding(8), LayerSpec.layerNorm(1e-5)), 2,
                big);
        Network net = new Network(s, Activation.TANH, Output.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, true, false);
        double[] p = io.sparkprop.trainer.model.InitialWeights.of(net, Init.XAVIER, 5, "");
        ParamLayout l = net.layout();
        assertEquals(2000 * 8, l.in(0) * l.out(0));
        double sum = 0, sq = 0;
        for (int i = l.wOffset(0); i < l.bOffset(0); i++) {
            sum += p[i];
            sq += p[i] * p[i];
        }
        int n = 2000 * 8;
        assertEquals(0.0, sum / n, 0.03);
        assertEquals(1.0, Math.sqrt(sq / n - (sum / n) * (sum / n)), 0.03);
        int d = s.shape(1).size(); // 8 + 2 numeric features
        assertEquals(10, d);
        for (int i = 0; i < d; i++) {
            assertEquals(1.0, p[l.wOffset(1) + i]);
            assertEquals(0.0, p[l.bOffset(1) + i]);
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
