// The output units p = out(z) of the last layer, each constant with its forward and its backward (Jacobianᵀ·dP),
// in double and, just below, in float (compute.precision = float32).
package io.sparkprop.trainer.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * Work on one column of a column-major (k × n) matrix at offset o: the k logits of one row. The loss chooses
 * how to use them (see {@link Loss}); model.output = auto picks the unit its loss is usually paired with
 * ({@link Loss#output}), and {@link Loss#whyNot} says which pairs make sense.
 */
public enum Output {
    IDENTITY("identity") {
        @Override
        public double forward(double[] p, double[] z, int o, int k) {
            System.arraycopy(z, o, p, o, k);
            return 0.0;
        }

        @Override
        public void backward(double[] dZ, double[] dP, double[] p, int o, int k) {
            System.arraycopy(dP, o, dZ, o, k);
        }

        @Override
        public double forward(float[] p, float[] z, int o, int k) {
            System.arraycopy(z, o, p, o, k);
            return 0.0;
        }

        @Override
        public void backward(float[] dZ, float[] dP, float[] p, int o, int k) {
            System.arraycopy(dP, o, dZ, o, k);
        }
    },
    SIGMOID("sigmoid") {
        @Override
        public double forward(double[] p, double[] z, int o, int k) {
            for (int j = o; j < o + k; j++) p[j] = Activation.sigmoid(z[j]);
            return 0.0;
        }

        /** ∂p_j/∂z_j = p_j(1 − p_j), the rest of the Jacobian is zero. */
        @Override
        public void backward(double[] dZ, double[] dP, double[] p, int o, int k) {
            for (int j = o; j < o + k; j++) dZ[j] = dP[j] * p[j] * (1.0 - p[j]);
        }

        @Override
        public double forward(float[] p, float[] z, int o, int k) {
            for (int j = o; j < o + k; j++) p[j] = (float) Activation.sigmoid(z[j]);
            return 0.0;
        }

        @Override
        public void backward(float[] dZ, float[] dP, float[] p, int o, int k) {
            for (int j = o; j < o + k; j++) dZ[j] = dP[j] * p[j] * (1.0f - p[j]);
        }
    },
    SOFTMAX("softmax") {
        /** p = exp(z − m) / Σ exp(z − m) with m = max z; returns log Σ exp z (for −log p[label] without log 0). */
        @Override
        public double forward(double[] p, double[] z, int o, int k) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = o; j < o + k; j++) max = Math.max(max, z[j]);
            double sum = 0;
            for (int j = o; j < o + k; j++) {
                p[j] = Math.exp(z[j] - max);
                sum += p[j];
            }
            for (int j = o; j < o + k; j++) p[j] /= sum;
            return Math.log(sum) + max;
        }

        /** ∂p_i/∂z_j = p_i(δ_ij − p_j), so dZ_j = p_j (dP_j − Σ_i p_i dP_i). dZ may be dP. */
        @Override
        public void backward(double[] dZ, double[] dP, double[] p, int o, int k) {
            double s = 0;
            for (int j = o; j < o + k; j++) s += p[j] * dP[j];
            for (int j = o; j < o + k; j++) dZ[j] = p[j] * (dP[j] - s);
        }

        /** The exponentials and their sum in double, each p rounded once; lse in double. */
        @Override
        public double forward(float[] p, float[] z, int o, int k) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = o; j < o + k; j++) max = Math.max(max, z[j]);
            double sum = 0;
            for (int j = o; j < o + k; j++) sum += Math.exp(z[j] - max);
            for (int j = o; j < o + k; j++) p[j] = (float) (Math.exp(z[j] - max) / sum);
            return Math.log(sum) + max;
        }

        /** s = Σ p dP summed in double, each dZ rounded once. */
        @Override
        public void backward(float[] dZ, float[] dP, float[] p, int o, int k) {
            double s = 0;
            for (int j = o; j < o + k; j++) s += (double) p[j] * dP[j];
            for (int j = o; j < o + k; j++) dZ[j] = (float) (p[j] * (dP[j] - s));
        }
    };

    public final String configName;

    Output(String configName) {
        this.configName = configName;
    }

    /** p[o..o+k) = out(z[o..o+k)); returns log Σ exp z for softmax, 0 otherwise. p may not be z. */
    public abstract double forward(double[] p, double[] z, int o, int k);

    /** dZ[o..o+k) = (∂p/∂z)ᵀ · dP[o..o+k), given p = out(z). dZ may be dP. */
    public abstract void backward(double[] dZ, double[] dP, double[] p, int o, int k);

    /** The single-precision twin of {@link #forward(double[], double[], int, int)}; lse in double. */
    public abstract double forward(float[] p, float[] z, int o, int k);

    /** The single-precision twin of {@link #backward(double[], double[], double[], int, int)}. */
    public abstract void backward(float[] dZ, float[] dP, float[] p, int o, int k);

    /** "auto" is not a constant: callers resolve it with {@link Loss#output}. */
    public static Output parse(String name) {
        for (Output o : values()) {
            if (o.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown output '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.toString(Arrays.stream(values()).map(o -> o.configName).toArray());
    }
}
