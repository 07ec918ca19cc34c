// Tests for Scaler: statistics from the training rows only, constant features, and restoring a saved scaler.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import org.junit.jupiter.api.Test;

class ScalerTest {
    /** Rows (x0, x1): x1 is constant at 0.1, a value whose mean is not exact in floating point. */
    private static Dataset table(double... x0) {
        double[] x = new double[x0.length * 2];
        for (int r = 0; r < x0.length; r++) {
            x[2 * r] = x0[r];
            x[2 * r + 1] = 0.1;
        }
        return new Dataset(x0.length, 2, 1, x, new double[x0.length], null);
    }

    @Test
    void standardUsesTrainRowsOnly() {
        Dataset train = table(1, 2, 3, 4, 5, 6, 7);
        Dataset test = table(100, 4);
        Scaler s = Scaler.fit("standard", train);
        assertEquals(Scaler.Kind.STANDARD, s.kind());
        assertEquals(4.0, s.shift()[0], 1e-12);
        assertEquals(0.5, s.scale()[0], 1e-12);
        Dataset scaled = s.apply(test);
        assertArrayEquals(new double[] {48, 0, 0, 0}, scaled.x, 1e-12);
        assertEquals(100, test.x[0], "apply returns a copy");
        double sum = 0;
        double sq = 0;
        Dataset z = s.apply(train);
        for (int r = 0; r < z.rows; r++) {
            sum += z.x[2 * r];
            sq += z.x[2 * r] * z.x[2 * r];
        }
        assertEquals(0.0, sum / z.rows, 1e-12);
        assertEquals(1.0, sq / z.rows, 1e-12);
    }

    @Test
    void minmaxMapsTrainRangeOntoUnitInterval() {
        Scaler s = Scaler.fit(Scaler.Kind.MINMAX, table(-2, 0, 6));
        Dataset out = s.apply(table(-2, 6, 2, 10));
        assertArrayEquals(new double[] {0, 0, 1, 0, 0.5, 0, 1.5, 0}, out.x, 1e-12);
    }

    @Test
    void constantFeaturesBecomeZeroNotNaN() {
        for (Scaler.Kind kind : Scaler.Kind.values()) {
            Dataset out = Scaler.fit(kind, table(3, 3, 3)).apply(table(3, 5));
            for (double v : out.x) {
                assertTrue(Double.isFinite(v), kind + " gave " + v);
            }
            if (kind != Scaler.Kind.NONE) {
                assertEquals(0.0, out.x[0]);
                assertEquals(0.0, out.x[1]);
                assertEquals(0.0, out.x[3]);
            }
        }
    }

    @Test
    void standardKeepsANearlyConstantColumnBounded() {
        // A border pixel: 0 in 999 training images, 255 in one. σ = 255·√(0.999·0.001) ≈ 8.06, so 1/σ would put a
        // test image's 255 at 31.6; the floor σ ≥ (max − min)/10 = 25.5 puts it at (255 − 0.255)/25.5 = 9.99.
        double[] pixel = new double[1000];
        pixel[0] = 255;
        Scaler s = Scaler.fit(Scaler.Kind.STANDARD, table(pixel));
        assertEquals(0.255, s.shift()[0], 1e-12);
        assertEquals(1 / 25.5, s.scale()[0], 1e-15);
        Dataset test = s.apply(table(255, 0));
        assertEquals((255 - 0.255) / 25.5, test.x[0], 1e-12);
        assertTrue(Math.abs(test.x[0]) <= Scaler.MAX_Z && Math.abs(test.x[2]) <= Scaler.MAX_Z);
        // A column whose range is under 10σ keeps its plain z-score (table(1..7): σ = 2, range 6).
        assertEquals(0.5, Scaler.fit(Scaler.Kind.STANDARD, table(1, 2, 3, 4, 5, 6, 7)).scale()[0], 1e-12);
    }

    @Test
    void autoIsMinmaxForSparseAndImageDataStandardForTables() {
        assertEquals(Scaler.Kind.MINMAX, Scaling.AUTO.kindFor("libsvm"));
        assertEquals(Scaler.Kind.MINMAX, Scaling.AUTO.kindFor("idx"));
        assertEquals(Scaler.Kind.STANDARD, Scaling.AUTO.kindFor("csv"));
        assertEquals(Scaler.Kind.STANDARD, Scaling.AUTO.kindFor("builtin"));
        assertEquals(Scaler.Kind.NONE, Scaling.NONE.kindFor("idx"));
        assertEquals(Scaler.Kind.STANDARD, Scaling.STANDARD.kindFor("libsvm"));
        assertEquals(Scaler.Kind.MINMAX, Scaling.MINMAX.kindFor("csv"));
        assertThrows(UserError.class, () -> Scaler.Kind.parse("auto"), "a saved model names a concrete kind");
    }

    @Test
    void noneIsIdentityAndReturnsTheSameTable() {
        Dataset d = table(1, 2);
        Scaler s = Scaler.fit(Scaler.Kind.NONE, d);
        assertSame(d, s.apply(d));
        assertArrayEquals(new double[] {0, 0}, s.shift());
        assertArrayEquals(new double[] {1, 1}, s.scale());
    }

    @Test
    void restoredScalerMatchesFitted() {
        Scaler fitted = Scaler.fit(Scaler.Kind.STANDARD, table(1, 5, 9));
        Scaler restored = Scaler.of(Scaler.Kind.parse(fitted.kind().id()), fitted.shift(), fitted.scale());
        assertArrayEquals(fitted.apply(table(2, 7)).x, restored.apply(table(2, 7)).x);
        Dataset inPlace = table(2, 7);
        restored.applyInPlace(inPlace);
        assertArrayEquals(fitted.apply(table(2, 7)).x, inPlace.x);
    }

    @Test
    void badKindAndWidth() {
        assertThrows(UserError.class, () -> Scaler.Kind.parse("zscore"));
        Scaler s = Scaler.fit(Scaler.Kind.MINMAX, table(1, 2));
        Dataset wide = new Dataset(1, 3, 1, new double[3], new double[1], null);
        assertThrows(IllegalArgumentException.class, () -> s.apply(wide));
    }
}
