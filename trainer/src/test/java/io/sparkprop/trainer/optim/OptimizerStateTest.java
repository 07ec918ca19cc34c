// Checkpoint round trip: state() then setState() on a fresh optimizer continues bit-identically.
package io.sparkprop.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sparkprop.trainer.nn.ParamLayout;

class OptimizerStateTest {

    private static final ParamLayout LAYOUT = new ParamLayout(new int[] {2, 3, 1});
    private static final int P = LAYOUT.size();

    static OptimizerKind[] names() {
        return OptimizerKind.PER_STEP.toArray(OptimizerKind[]::new);
    }

    private static Optimizer create(OptimizerKind name) {
        return name.create(P, LAYOUT, 0.9, 0.01);
    }

    private static void run(Optimizer opt, double[] w, Random rnd, int steps) {
        double[] g = new double[P];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < P; i++) {
                g[i] = rnd.nextGaussian();
            }
            opt.step(w, g, 0.01 * (s + 1));
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void roundTripContinuesIdentically(OptimizerKind name) {
        Optimizer a = create(name);
        double[] wa = new Random(1).doubles(P).toArray();
        run(a, wa, new Random(2), 3);

        double[] saved = a.state();
        assertEquals(3.0, saved[0]);
        Optimizer b = create(name);
        b.setState(saved.clone());
        assertEquals(3, b.t());
        assertArrayEquals(saved, b.state(), 0.0);
        double[] wb = wa.clone();

        run(a, wa, new Random(3), 3);
        run(b, wb, new Random(3), 3);
        assertArrayEquals(wa, wb, 0.0);
        assertArrayEquals(a.state(), b.state(), 0.0);
        assertEquals(6, b.t());
    }

    @ParameterizedTest
    @MethodSource("names")
    void stateLengthAndValidation(OptimizerKind name) {
        Optimizer opt = create(name);
        int k = switch (name) {
            case SGD -> 0;
            case ADAM, ADAMW -> 2;
            default -> 1;
        };
        double[] s = opt.state();
        assertEquals(1 + k * P, s.length);
        assertThrows(IllegalArgumentException.class, () -> opt.setState(new double[s.length + 1]));
        s[0] = 1.5;
        assertThrows(IllegalArgumentException.class, () -> opt.setState(s));
        s[0] = -1;
        assertThrows(IllegalArgumentException.class, () -> opt.setState(s));
    }
}
