// Tests for the bundled datasets: wheat-seeds' shape and the spiral generator's determinism and geometry.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinsTest {
    @Test
    void wheatSeedsIs210By7With3Classes() {
        Dataset d = Builtins.load("builtin:wheat-seeds", 0, null);
        assertEquals(210, d.rows);
        assertEquals(7, d.features);
        assertEquals(List.of("1", "2", "3"), d.classNames);
        int[] perClass = new int[3];
        for (int r = 0; r < d.rows; r++) {
            perClass[d.label(r)]++;
        }
        assertArrayEquals(new int[] {70, 70, 70}, perClass);
        assertArrayEquals(new double[] {15.26, 14.84, 0.871, 5.763, 3.312, 2.221, 5.22}, Arrays.copyOf(d.x, 7));
    }

    @Test
    void spiralsAreDeterministicPerSeed() {
        Dataset a = Builtins.load("builtin:spirals", 42, null);
        Dataset b = Builtins.load("builtin:spirals", 42, null);
        Dataset c = Builtins.load("builtin:spirals", 43, null);
        assertEquals(300, a.rows);
        assertEquals(2, a.features);
        assertEquals(List.of("0", "1", "2"), a.classNames);
        assertArrayEquals(a.x, b.x);
        assertArrayEquals(a.y, b.y);
        assertFalse(Arrays.equals(a.x, c.x));
    }

    @Test
    void spiralGeometryFollowsTheFormula() {
        Dataset d = Builtins.spirals(50, 3, 0.0, 1);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 50; i++) {
                int row = j * 50 + i;
                double r = i / 49.0;
                double t = 4.0 * j + 4.0 * i / 49.0;
                assertEquals(r * Math.sin(t), d.x[2 * row], 1e-12);
                assertEquals(r * Math.cos(t), d.x[2 * row + 1], 1e-12);
                assertEquals(j, d.label(row));
            }
        }
        // With noise the radius is untouched: only the angle moves.
        Dataset noisy = Builtins.spirals(50, 3, 0.2, 1);
        for (int row = 0; row < noisy.rows; row++) {
            assertEquals(Math.hypot(d.x[2 * row], d.x[2 * row + 1]),
                    Math.hypot(noisy.x[2 * row], noisy.x[2 * row + 1]), 1e-12);
        }
    }

    @Test
    void spiralParameters() {
        Dataset d = Builtins.load("builtin:spirals?points=20&classes=4&noise=0", 7, null);
        assertEquals(80, d.rows);
        assertEquals(4, d.numClasses());
        String msg = assertThrows(UserError.class, () -> Builtins.load("builtin:spirals?pts=3", 0, null)).getMessage();
        assertTrue(msg.contains("unknown parameter \"pts\""), msg);
        assertThrows(UserError.class, () -> Builtins.load("builtin:spirals?points=-1", 0, null));
        assertThrows(UserError.class, () -> Builtins.load("builtin:wheat-seeds?x=1", 0, null));
    }

    @Test
    void unknownBuiltin() {
        String msg = assertThrows(UserError.class, () -> Builtins.load("builtin:iris", 0, null)).getMessage();
        assertTrue(msg.startsWith("builtin:iris: unknown builtin dataset"), msg);
    }
}
