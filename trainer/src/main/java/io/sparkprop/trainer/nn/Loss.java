// Output layer + loss pairs, fused as in Spark's ml.ann: one call gives the loss and dLoss/dLogits.
package io.sparkprop.trainer.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * The last dense layer emits logits z: (k × batch). Each loss owns its output nonlinearity, so the delta it
 * writes is simply ∂loss/∂z (for all three: prediction − target).
 * <ul>
 * <li>softmax-cross-entropy: p = softmax(z), loss = −log p[label]; targets are class indices.</li>
 * <li>mse: identity output, loss = ½ Σ (z − y)² per row; targets are k real values.</li>
 * <li>sigmoid-cross-entropy: p = σ(z) per unit, loss = −Σ y log p + (1−y) log(1−p). Binary classification
 *     uses one output unit with the class index (0/1) as target; with k &gt; 1 outputs a class index becomes
 *     one-hot, or k 0/1 targets per row (multi-label).</li>
 * </ul>
 */
public enum Loss {
    SOFTMAX_CROSS_ENTROPY("softmax-cross-entropy"),
    MSE("mse"),
    SIGMOID_CROSS_ENTROPY("sigmoid-cross-entropy");

    public final String configName;

    Loss(String configName) {
        this.configName = configName;
    }

    public static Loss parse(String name) {
        for (Loss l : values()) {
            if (l.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.toString(Arrays.stream(values()).map(l -> l.configName).toArray());
    }

    public boolean isClassification() {
        return this != MSE;
    }

    /** Number of output units for a dataset with the given class count (classification) or target count. */
    public int outputUnits(int numClasses, int targets) {
        return switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> numClasses;
            case MSE -> targets;
            case SIGMOID_CROSS_ENTROPY -> numClasses == 2 && targets == 1 ? 1 : Math.max(numClasses, targets);
        };
    }

    /**
     * Writes the predictions p = out(z) and delta = ∂loss/∂z for n columns and returns the loss summed over them.
     *
     * @param z       logits (k × n), column-major
     * @param y       targets (t × n): class index when t == 1 and the loss classifies, else values
     * @param p       predictions (k × n), written
     * @param delta   ∂loss/∂z (k × n), written (not accumulated: it is a per-batch buffer)
     */
    public double lossAndDelta(double[] z, double[] y, int k, int t, int n, double[] p, double[] delta) {
        output(p, z, k, n);
        double loss = 0;
        for (int c = 0; c < n; c++) {
            int o = c * k;
            switch (this) {
                case SOFTMAX_CROSS_ENTROPY -> {
                    int label = (int) y[c];
                    // log p[label] from the logits (log-sum-exp), exact even when p underflows to 0.
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) max = Math.max(max, z[o + j]);
                    double sum = 0;
                    for (int j = 0; j < k; j++) sum += Math.exp(z[o + j] - max);
                    loss += Math.log(sum) + max - z[o + label];
                    for (int j = 0; j < k; j++) delta[o + j] = p[o + j];
                    delta[o + label] -= 1.0;
                }
                case MSE -> {
                    for (int j = 0; j < k; j++) {
                        double d = z[o + j] - y[c * t + j];
                        loss += 0.5 * d * d;
                        delta[o + j] = d;
                    }
                }
                case SIGMOID_CROSS_ENTROPY -> {
                    for (int j = 0; j < k; j++) {
                        double target = target01(y, c, j, k, t);
                        double zj = z[o + j];
                        // max(z,0) − z·y + log(1 + e^−|z|): the stable form of the binary cross-entropy.
                        loss += Math.max(zj, 0) - zj * target + Math.log1p(Math.exp(-Math.abs(zj)));
                        delta[o + j] = p[o + j] - target;
                    }
                }
            }
        }
        return loss;
    }

    /** p = out(z): softmax over each column, σ per unit, or identity. */
    public void output(double[] p, double[] z, int k, int n) {
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int c = 0; c < n; c++) {
                    int o = c * k;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) max = Math.max(max, z[o + j]);
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        p[o + j] = Math.exp(z[o + j] - max);
                        sum += p[o + j];
                    }
                    for (int j = 0; j < k; j++) p[o + j] /= sum;
                }
            }
            case MSE -> System.arraycopy(z, 0, p, 0, k * n);
            case SIGMOID_CROSS_ENTROPY -> {
                for (int i = 0; i < k * n; i++) p[i] = Activation.sigmoid(z[i]);
            }
        }
    }

    /**
     * The single-precision twin of {@link #lossAndDelta(double[], double[], int, int, int, double[], double[])}:
     * p and delta in float; each row's loss is taken in double from the float logits and summed in double.
     */
    public double lossAndDelta(float[] z, double[] y, int k, int t, int n, float[] p, float[] delta) {
        output(p, z, k, n);
        double loss = 0;
        for (int c = 0; c < n; c++) {
            int o = c * k;
            switch (this) {
                case SOFTMAX_CROSS_ENTROPY -> {
                    int label = (int) y[c];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) max = Math.max(max, z[o + j]);
                    double sum = 0;
                    for (int j = 0; j < k; j++) sum += Math.exp(z[o + j] - max);
                    loss += Math.log(sum) + max - z[o + label];
                    for (int j = 0; j < k; j++) delta[o + j] = p[o + j];
                    delta[o + label] -= 1.0f;
                }
                case MSE -> {
                    for (int j = 0; j < k; j++) {
                        float d = (float) (z[o + j] - y[c * t + j]);
                        loss += 0.5 * d * d;
                        delta[o + j] = d;
                    }
                }
                case SIGMOID_CROSS_ENTROPY -> {
                    for (int j = 0; j < k; j++) {
                        double target = target01(y, c, j, k, t);
                        double zj = z[o + j];
                        loss += Math.max(zj, 0) - zj * target + Math.log1p(Math.exp(-Math.abs(zj)));
                        delta[o + j] = (float) (p[o + j] - target);
                    }
                }
            }
        }
        return loss;
    }

    /** p = out(z) in float; the exponentials are taken in double and rounded once. */
    public void output(float[] p, float[] z, int k, int n) {
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int c = 0; c < n; c++) {
                    int o = c * k;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) max = Math.max(max, z[o + j]);
                    double sum = 0;
                    for (int j = 0; j < k; j++) sum += Math.exp(z[o + j] - max);
                    for (int j = 0; j < k; j++) p[o + j] = (float) (Math.exp(z[o + j] - max) / sum);
                }
            }
            case MSE -> System.arraycopy(z, 0, p, 0, k * n);
            case SIGMOID_CROSS_ENTROPY -> {
                for (int i = 0; i < k * n; i++) p[i] = (float) Activation.sigmoid(z[i]);
            }
        }
    }

    /** The 0/1 target of unit j in column c: the binary label, a one-hot class index, or a multi-label value. */
    private static double target01(double[] y, int c, int j, int k, int t) {
        if (t == k) {
            return y[c * t + j];
        }
        int label = (int) y[c];
        return label == j ? 1.0 : 0.0;
    }
}
