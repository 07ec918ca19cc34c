// Element-wise activation functions of the hidden layers: each constant keeps its f next to its f′.
package io.sparkprop.trainer.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Hidden-layer nonlinearities. {@code forward} writes a = f(z); {@code backward} writes dZ = dA ⊙ f′(z).
 * Both work on the first n elements of column-major batch matrices (units × batch), so the layout is irrelevant.
 * Each constant's body holds its pair, so a reader finds f and f′ side by side, the double pair first and its
 * float twin (compute.precision = float32) just below.
 */
public enum Activation implements Elementwise {
    IDENTITY("identity", Init.XAVIER) {
        @Override
        public void forward(double[] a, double[] z, int n) {
            System.arraycopy(z, 0, a, 0, n);
        }

        @Override
        public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
            System.arraycopy(dA, 0, dZ, 0, n);
        }

        @Override
        public void forward(float[] a, float[] z, int n) {
            System.arraycopy(z, 0, a, 0, n);
        }

        @Override
        public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
            System.arraycopy(dA, 0, dZ, 0, n);
        }
    },
    SIGMOID("sigmoid", Init.XAVIER) {
        @Override
        public void forward(double[] a, double[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = sigmoid(z[i]);
        }

        /** σ′(z) = σ(z)(1 − σ(z)) = a(1 − a). */
        @Override
        public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
            for (int i = 0; i < n; i++) dZ[i] = dA[i] * a[i] * (1.0 - a[i]);
        }

        @Override
        public void forward(float[] a, float[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = (float) sigmoid(z[i]);
        }

        @Override
        public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) dZ[i] = dA[i] * a[i] * (1.0f - a[i]);
        }
    },
    TANH("tanh", Init.XAVIER) {
        @Override
        public void forward(double[] a, double[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
        }

        /** tanh′(z) = 1 − tanh²(z) = 1 − a². */
        @Override
        public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
            for (int i = 0; i < n; i++) dZ[i] = dA[i] * (1.0 - a[i] * a[i]);
        }

        @Override
        public void forward(float[] a, float[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = (float) Math.tanh(z[i]);
        }

        @Override
        public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) dZ[i] = dA[i] * (1.0f - a[i] * a[i]);
        }
    },
    RELU("relu", Init.HE) {
        // Math.max compiles to a branch-free max: z's signs are random, so a branch mispredicts half the time.
        @Override
        public void forward(double[] a, double[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0.0);
        }

        /** relu′(z) = 1 for z &gt; 0, else 0: dA's bits masked by {@link #positive}. */
        @Override
        public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
            for (int i = 0; i < n; i++) {
                dZ[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(dA[i]) & positive(z[i]));
            }
        }

        @Override
        public void forward(float[] a, float[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0.0f);
        }

        @Override
        public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) {
                dZ[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dA[i]) & positive(z[i]));
            }
        }
    },
    LEAKY_RELU("leaky-relu", Init.HE) {
        // LEAK < 1, so max(z, LEAK·z) is z for z > 0 and LEAK·z below.
        @Override
        public void forward(double[] a, double[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], LEAK * z[i]);
        }

        /** Slope 1 for z &gt; 0, else LEAK, chosen without a branch. */
        @Override
        public void backward(double[] dZ, double[] dA, double[] z, double[] a, int n) {
            for (int i = 0; i < n; i++) {
                double extra = Double.longBitsToDouble(Double.doubleToRawLongBits(1.0 - LEAK) & positive(z[i]));
                dZ[i] = dA[i] * (LEAK + extra);
            }
        }

        @Override
        public void forward(float[] a, float[] z, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], LEAK_F * z[i]);
        }

        @Override
        public void backward(float[] dZ, float[] dA, float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) {
                float extra = Float.intBitsToFloat(Float.floatToRawIntBits(1.0f - LEAK_F) & positive(z[i]));
                dZ[i] = dA[i] * (LEAK_F + extra);
            }
        }
    };

    /** Slope of leaky-relu for z &lt; 0 (the common 0.01). */
    public static final double LEAK = 0.01;
    /** LEAK rounded to float, for the single-precision pass. */
    static final float LEAK_F = (float) LEAK;

    public final String configName;
    private final Init init;

    /** @param init what model.init = auto draws for this unit: xavier for saturating ones, he for rectifiers */
    Activation(String configName, Init init) {
        this.configName = configName;
        this.init = init;
    }

    /** The weight draw model.init = auto means for this unit. */
    public Init defaultInit() {
        return init;
    }

    /** a[i] = f(z[i]) for i &lt; n. a may be z. */
    @Override
    public abstract void forward(double[] a, double[] z, int n);

    /** dZ[i] = dA[i] · f′(z[i]), using the stored output a = f(z) where that is cheaper. dZ may be dA. */
    @Override
    public abstract void backward(double[] dZ, double[] dA, double[] z, double[] a, int n);

    /** The single-precision twin of {@link #forward(double[], double[], int)} (compute.precision = float32). */
    public abstract void forward(float[] a, float[] z, int n);

    /** The single-precision twin of {@link #backward(double[], double[], double[], double[], int)}. */
    public abstract void backward(float[] dZ, float[] dA, float[] z, float[] a, int n);

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

    /**
     * All ones when z &gt; 0, else all zeros, without a branch: a positive double's bits b are a positive long,
     * so −b and ~b are both negative exactly then and the arithmetic shift spreads their common sign bit. The
     * ~b excludes −0, whose bits Long.MIN_VALUE negate to themselves; so −0, +0 and negatives give 0, as
     * PyTorch's relu and leaky-relu backward do.
     */
    static long positive(double z) {
        long b = Double.doubleToRawLongBits(z);
        return (-b & ~b) >> 63;
    }

    /** The float form of {@link #positive(double)}: all ones when z &gt; 0, else all zeros. */
    static int positive(float z) {
        int b = Float.floatToRawIntBits(z);
        return (-b & ~b) >> 31;
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
