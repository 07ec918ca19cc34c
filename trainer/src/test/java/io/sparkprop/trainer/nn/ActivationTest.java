// relu′ and leaky-relu′ at the kink and around it, in both precisions: the slope is 1 only for z > 0, so −0 and
// +0 take the zero (or LEAK) branch as PyTorch's backward does; the branch-free masks must agree.
package io.sparkprop.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationTest {
    private static final double[] Z = {-0.0, 0.0, -1.5, 1.5, Double.MIN_VALUE, -Double.MIN_VALUE, 3e300, -3e300};
    private static final float[] Z_F = {-0.0f, 0.0f, -1.5f, 1.5f, Float.MIN_VALUE, -Float.MIN_VALUE, 3e38f, -3e38f};

    /** Whether each z of Z (and Z_F) is strictly positive. */
    private static final boolean[] POSITIVE = {false, false, false, true, true, false, true, false};

    @Test
    void reluSlopeIsOneOnlyAboveZero() {
        for (double dA : new double[] {2.0, -3.0}) {
            double[] dZ = new double[Z.length];
            Activation.RELU.backward(dZ, filled(Z.length, dA), Z, null, Z.length);
            float[] dZf = new float[Z_F.length];
            Activation.RELU.backward(dZf, filled(Z_F.length, (float) dA), Z_F, null, Z_F.length);
            for (int i = 0; i < Z.length; i++) {
                assertEquals(POSITIVE[i] ? dA : 0.0, dZ[i], "relu′ at z = " + Z[i]);
                assertEquals(POSITIVE[i] ? (float) dA : 0.0f, dZf[i], "float relu′ at z = " + Z_F[i]);
            }
        }
    }

    @Test
    void leakyReluSlopeIsLeakUnlessAboveZero() {
        double dA = 2.0;
        double[] dZ = new double[Z.length];
        Activation.LEAKY_RELU.backward(dZ, filled(Z.length, dA), Z, null, Z.length);
        float[] dZf = new float[Z_F.length];
        Activation.LEAKY_RELU.backward(dZf, filled(Z_F.length, (float) dA), Z_F, null, Z_F.length);
        for (int i = 0; i < Z.length; i++) {
            assertEquals(POSITIVE[i] ? dA : dA * Activation.LEAK, dZ[i], "leaky-relu′ at z = " + Z[i]);
            assertEquals(POSITIVE[i] ? (float) dA : (float) dA * Activation.LEAK_F, dZf[i],
                    "float leaky-relu′ at z = " + Z_F[i]);
        }
    }

    @Test
    void reluOfMinusZeroIsPlusZero() {
        double[] a = new double[1];
        Activation.RELU.forward(a, new double[] {-0.0}, 1);
        assertEquals(0.0, a[0]);
        float[] af = new float[1];
        Activation.RELU.forward(af, new float[] {-0.0f}, 1);
        assertEquals(0.0f, af[0]);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
