// The loss of the output units p = out(z), each constant with its value next to its gradient ∂loss/∂z (double,
// then its float twin for compute.precision = float32).
package io.sparkprop.trainer.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The last dense layer emits logits z: (k × batch); {@link Output} turns them into p. Per row:
 * <ul>
 * <li>softmax-cross-entropy (softmax outputs): loss = −log p[label]; δ = p − onehot(label).</li>
 * <li>mse, the quadratic cost ½‖p − y‖² on any output unit: δ = (∂p/∂z)ᵀ (p − y); with identity outputs
 *     δ = p − y, with sigmoid ones δ = (p − y) ⊙ p(1 − p) (the from-scratch tutorial's
 *     {@code error * transfer_derivative(output)}). y is k real values, or a class index made one-hot.</li>
 * <li>sigmoid-cross-entropy (sigmoid outputs): loss = −Σ y log p + (1−y) log(1−p); δ = p − y. Binary
 *     classification uses one unit with the class index (0/1) as target; with k &gt; 1 outputs a class index
 *     becomes one-hot, or k 0/1 targets per row (multi-label).</li>
 * </ul>
 * Targets y are (t × n): t == k gives each unit its own value, t == 1 &lt; k a class index.
 */
public enum Loss {
    SOFTMAX_CROSS_ENTROPY("softmax-cross-entropy", Output.SOFTMAX, true, null) {
        /** One unit per class. */
        @Override
        public int outputUnits(int numClasses, int targets) {
            return numClasses;
        }

        /** lse = log Σ exp z from the softmax, so −log p[label] = lse − z[label] stays exact when p underflows. */
        @Override
        double column(Output out, double[] z, double[] p, double lse, double[] y, int c, int t, int o, int k,
                      double[] delta) {
            int label = (int) y[c * t];
            for (int j = 0; j < k; j++) delta[o + j] = p[o + j];
            delta[o + label] -= 1.0;
            return lse - z[o + label];
        }

        @Override
        double column(Output out, float[] z, float[] p, double lse, double[] y, int c, int t, int o, int k,
                      float[] delta) {
            int label = (int) y[c * t];
            for (int j = 0; j < k; j++) delta[o + j] = p[o + j];
            delta[o + label] -= 1.0f;
            return lse - z[o + label];
        }
    },
    MSE("mse", Output.IDENTITY, false, "real values") {
        /** One unit per class for one class column (classification by a quadratic cost), else per real target. */
        @Override
        public int outputUnits(int numClasses, int targets) {
            return numClasses > 0 && targets == 1 ? numClasses : targets;
        }

        /** The quadratic cost has a gradient through any unit. */
        @Override
        public String whyNot(Output out) {
            return null;
        }

        @Override
        double column(Output out, double[] z, double[] p, double lse, double[] y, int c, int t, int o, int k,
                      double[] delta) {
            double loss = 0;
            for (int j = 0; j < k; j++) {
                double d = p[o + j] - target(y, c, j, k, t);
                loss += 0.5 * d * d;
                delta[o + j] = d; // ∂loss/∂p, turned into ∂loss/∂z just below
            }
            out.backward(delta, delta, p, o, k);
            return loss;
        }

        @Override
        double column(Output out, float[] z, float[] p, double lse, double[] y, int c, int t, int o, int k,
                      float[] delta) {
            double loss = 0;
            for (int j = 0; j < k; j++) {
                float d = (float) (p[o + j] - target(y, c, j, k, t));
                loss += 0.5 * d * d;
                delta[o + j] = d;
            }
            out.backward(delta, delta, p, o, k);
            return loss;
        }
    },
    SIGMOID_CROSS_ENTROPY("sigmoid-cross-entropy", Output.SIGMOID, true, "0/1 labels") {
        /** One sigmoid unit for two classes in one column, else one per class or per 0/1 target column. */
        @Override
        public int outputUnits(int numClasses, int targets) {
            return numClasses == 2 && targets == 1 ? 1 : Math.max(numClasses, targets);
        }

        @Override
        double column(Output out, double[] z, double[] p, double lse, double[] y, int c, int t, int o, int k,
                      double[] delta) {
            double loss = 0;
            for (int j = 0; j < k; j++) {
                double target = target(y, c, j, k, t);
                double zj = z[o + j];
                // max(z,0) − z·y + log(1 + e^−|z|): the stable form of the binary cross-entropy.
                loss += Math.max(zj, 0) - zj * target + Math.log1p(Math.exp(-Math.abs(zj)));
                delta[o + j] = p[o + j] - target;
            }
            return loss;
        }

        @Override
        double column(Output out, float[] z, float[] p, double lse, double[] y, int c, int t, int o, int k,
                      float[] delta) {
            double loss = 0;
            for (int j = 0; j < k; j++) {
                double target = target(y, c, j, k, t);
                double zj = z[o + j];
                loss += Math.max(zj, 0) - zj * target + Math.log1p(Math.exp(-Math.abs(zj)));
                delta[o + j] = (float) (p[o + j] - target);
            }
            return loss;
        }
    };

    public final String configName;
    private final Output output;
    private final boolean classification;
    private final String severalTargets;

    /**
     * @param output         the unit model.output = auto means
     * @param classification targets are always class labels
     * @param severalTargets what several target columns hold under this loss, or null: it takes one class column
     */
    Loss(String configName, Output output, boolean classification, String severalTargets) {
        this.configName = configName;
        this.output = output;
        this.classification = classification;
        this.severalTargets = severalTargets;
    }

    /**
     * Loss of column c (logits z[o..o+k), predictions p = out(z) already written, lse from
     * {@link Output#forward}); writes δ = ∂loss/∂z into delta[o..o+k).
     */
    abstract double column(Output out, double[] z, double[] p, double lse, double[] y, int c, int t, int o, int k,
                           double[] delta);

    /**
     * The single-precision twin of the column above: p and delta in float, the loss taken in double from the float
     * logits.
     */
    abstract double column(Output out, float[] z, float[] p, double lse, double[] y, int c, int t, int o, int k,
                           float[] delta);

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

    /** True for the cross-entropies; mse classifies only when the network says so ({@link Network#classifier}). */
    public boolean isClassification() {
        return classification;
    }

    /** The output unit this loss is usually paired with: what model.output = auto means. */
    public Output output() {
        return output;
    }

    /**
     * Number of output units for a dataset with the given class count (0 for real targets) and target count.
     */
    public abstract int outputUnits(int numClasses, int targets);

    /**
     * Null when (this, out) is a meaningful pair, else why not. The cross-entropies are the log-likelihoods of
     * their own units (a softmax distribution, independent Bernoullis), so they need them; mse works on any unit.
     */
    public String whyNot(Output out) {
        if (out == output) {
            return null;
        }
        return configName + " is the log-likelihood of " + output.configName + " outputs, not of " + out.configName
                + " ones (use model.output = auto or " + output.configName + ", or model.loss = mse)";
    }

    /** The targets are one column of class indices, with at least two classes: several target columns are refused. */
    public boolean oneClassColumn() {
        return severalTargets == null;
    }

    /**
     * Why several target columns do not fit this loss, or null when they do: "several targets need model.loss = mse
     * (real values) or ...".
     */
    public String whyNotSeveralTargets() {
        if (!oneClassColumn()) {
            return null;
        }
        return "several targets need model.loss = " + Arrays.stream(values()).filter(l -> !l.oneClassColumn())
                .map(l -> l.configName + " (" + l.severalTargets + ")").collect(Collectors.joining(" or "))
                + "; " + configName + " takes one class column";
    }

    /**
     * Writes the predictions p = out(z) and delta = ∂loss/∂z for n columns and returns the loss summed over them.
     *
     * @param z       logits (k × n), column-major
     * @param y       targets (t × n): class index when t == 1 &lt; k, else one value per unit
     * @param p       predictions (k × n), written
     * @param delta   ∂loss/∂z (k × n), written (not accumulated: it is a per-batch buffer)
     */
    public double lossAndDelta(Output out, double[] z, double[] y, int k, int t, int n, double[] p, double[] delta) {
        return lossAndDelta(out, z, y, null, k, t, n, p, delta);
    }

    /**
     * As above with column c weighted by w[c] (w null: unweighted, the same arithmetic as without it): its loss
     * and its δ column are multiplied by w[c], so a weight of 1 changes no bit.
     */
    public double lossAndDelta(Output out, double[] z, double[] y, double[] w, int k, int t, int n, double[] p,
                               double[] delta) {
        double loss = 0;
        for (int c = 0; c < n; c++) {
            int o = c * k;
            double lse = out.forward(p, z, o, k);
            double lc = column(out, z, p, lse, y, c, t, o, k, delta);
            if (w != null) {
                double wc = w[c];
                lc *= wc;
                for (int j = o; j < o + k; j++) delta[j] *= wc;
            }
            loss += lc;
        }
        return loss;
    }

    /**
     * The single-precision twin of {@link #lossAndDelta(Output, double[], double[], int, int, int, double[],
     * double[])}: p and delta in float; each row's loss in double, summed in double.
     */
    public double lossAndDelta(Output out, float[] z, double[] y, int k, int t, int n, float[] p, float[] delta) {
        return lossAndDelta(out, z, y, null, k, t, n, p, delta);
    }

    /** The float twin of the weighted form above: δ column c becomes (float) (δ·w[c]), its loss (double) loss·w[c]. */
    public double lossAndDelta(Output out, float[] z, double[] y, double[] w, int k, int t, int n, float[] p,
                               float[] delta) {
        double loss = 0;
        for (int c = 0; c < n; c++) {
            int o = c * k;
            double lse = out.forward(p, z, o, k);
            double lc = column(out, z, p, lse, y, c, t, o, k, delta);
            if (w != null) {
                double wc = w[c];
                lc *= wc;
                for (int j = o; j < o + k; j++) delta[j] = (float) (delta[j] * wc);
            }
            loss += lc;
        }
        return loss;
    }

    /** The target of unit j in column c: its own value (t == k), or 1/0 for a one-hot class index (t == 1). */
    static double target(double[] y, int c, int j, int k, int t) {
        if (t == k) {
            return y[c * t + j];
        }
        return (int) y[c * t] == j ? 1.0 : 0.0;
    }
}
