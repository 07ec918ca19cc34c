// Element-wise activation functions of the hidden layers, each a forward/backward pair over flat arrays.
package io.sparkprop.trainer.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Hidden-layer nonlinearities. {@code forward} writes a = f(z); {@code backward} writes dZ = dA ⊙ f'(z).
 * Both work on the first n elements of column-major batch matrices (units × batch), so the layout is irrelevant.
 */
public enum Activation {
    IDENTITY("identity"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    LEAKY_RELU("leaky-relu");

    /** Slope of leaky-relu for z &lt; 0 (the common 0.01). */
    public static final double LEAK = 0.01;

    public final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.toString(Arrays.stream(values()).map(a -> a.configName).toArray());
    }

    /** a[i] = f(z[i]) for i &lt; n. a may be z. */
    public void forward(double[] a, double[] z, int n) {
        switch (this) {
            case IDENTITY -> System.arraycopy(z, 0, a, 0, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) a[i] = sigmoid(z[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
            }
            // Math.max compiles to a branch-free max: z's signs are random, so a branch mispredicts half the time.
            case RELU -> {
                for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0.0);
            }
            case LEAKY_RELU -> { // LEAK < 1, so max(z, LEAK·z) is z for z > 0 and LEAK·z below
                for (int i = 0; i < n; i++) a[i] = Math.max(z[i], LEAK * z[i]);
            }
        }
    }

    /** dZ[i] = dA[i] · f'(z[i]), using the stored output a = f(z) where that is cheaper. dZ may be dA. */
    public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
        switch (this) {
            case IDENTITY -> System.arraycopy(dA, 0, dZ, 0, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) dZ[i] = dA[i] * a[i] * (1.0 - a[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) dZ[i] = dA[i] * (1.0 - a[i] * a[i]);
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    dZ[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(dA[i]) & positive(z[i]));
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    // slope = 1 for z > 0, else LEAK, chosen without a branch
                    double extra = Double.longBitsToDouble(Double.doubleToRawLongBits(1.0 - LEAK) & positive(z[i]));
                    dZ[i] = dA[i] * (LEAK + extra);
                }
            }
        }
    }

    /** The single-precision twin of {@link #forward(double[], double[], int)}: a[i] = f(z[i]) in float. */
    public void forward(float[] a, float[] z, int n) {
        switch (this) {
            case IDENTITY -> System.arraycopy(z, 0, a, 0, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) a[i] = (float) sigmoid(z[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) a[i] = (float) Math.tanh(z[i]);
            }
            case RELU -> {
                for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0.0f);
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) a[i] = Math.max(z[i], (float) LEAK * z[i]);
            }
        }
    }

    /** The single-precision twin of {@link #backward(double[], double[], double[], double[], int)}. */
    public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
        switch (this) {
            case IDENTITY -> System.arraycopy(dA, 0, dZ, 0, n);
            case SIGMOID -> {
                for (int i = 0; i < n; i++) dZ[i] = dA[i] * a[i] * (1.0f - a[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) dZ[i] = dA[i] * (1.0f - a[i] * a[i]);
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    dZ[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dA[i]) & positive(z[i]));
                }
            }
            case LEAKY_RELU -> {
                float leak = (float) LEAK;
                for (int i = 0; i < n; i++) {
                    float extra = Float.intBitsToFloat(Float.floatToRawIntBits(1.0f - leak) & positive(z[i]));
                    dZ[i] = dA[i] * (leak + extra);
                }
            }
        }
    }

    /** The float form of {@link #positive(double)}: all ones when z &gt; 0, else all zeros. */
    private static int positive(float z) {
        return -Float.floatToRawIntBits(z) >> 31;
    }

    /**
     * All ones when z &gt; 0, else all zeros, without a branch: a positive double's bits are a positive long,
     * so −bits is negative exactly then and the arithmetic shift spreads its sign bit (−0, +0 and negatives give 0).
     */
    private static long positive(double z) {
        return -Double.doubleToRawLongBits(z) >> 63;
    }

    /** Numerically safe logistic function: never evaluates exp of a large positive number. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
