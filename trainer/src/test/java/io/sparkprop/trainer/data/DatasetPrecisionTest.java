// compute.precision = float32: features kept as floats, widened exactly when a batch is gathered.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DatasetPrecisionTest {
    // x: (2 features × 3 rows); 0.1 is not a float, so rounding shows.
    static final Dataset D = new Dataset(3, 2, 1, new double[] {0.1, 1.0, 2.5, -3.0, 1e-3, 7.0},
            new double[] {0, 1, 0}, List.of("a", "b"));

    @Test
    void float32RoundsEachFeatureOnceAndWidensExactly() {
        Dataset f = D.toFloat32();
        assertTrue(f.isFloat32());
        assertNull(f.x);
        assertEquals(6, f.xf.length);
        double[] row = new double[2];
        f.copyRow(0, row, 0);
        assertArrayEquals(new double[] {(float) 0.1, 1.0}, row);
        assertEquals((double) (float) 0.1, f.toFloat64().x[0]);
        assertSame(f, f.toFloat32());
        assertSame(D, D.toFloat64());
    }

    @Test
    void selectAndSliceKeepThePrecision() {
        Dataset f = D.toFloat32();
        Dataset picked = f.select(new int[] {2, 0});
        assertArrayEquals(new float[] {0.001f, 7.0f, 0.1f, 1.0f}, picked.xf);
        assertArrayEquals(new double[] {0, 0}, picked.y);
        Dataset tail = f.slice(1, 3);
        assertArrayEquals(new float[] {2.5f, -3.0f, 0.001f, 7.0f}, tail.xf);
        assertArrayEquals(new double[] {2.5, -3.0, 1e-3, 7.0}, D.slice(1, 3).x);
    }
}
