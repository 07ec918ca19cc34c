// train.class-weights: one weight per class, or "balanced" (n / (classes × n_class) on the training rows).
package io.sparkprop.trainer.config;

import java.util.Arrays;
import java.util.List;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.Dataset;

/**
 * What train.class-weights says, parsed and checked at the config edge: none ([] or ""), the word balanced, or
 * a list of finite weights ≥ 0 in class-index order (the order of the model's classes). {@link #perClass} turns
 * it into the weights of one training table, which the steps multiply into each row's weight
 * ({@link Dataset#trainingWeight}); scoring and metrics do not use them.
 */
public final class ClassWeights implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final String KEY = "train.class-weights";
    public static final ClassWeights NONE = new ClassWeights(null, false);
    public static final ClassWeights BALANCED = new ClassWeights(null, true);

    private final double[] given;
    private final boolean balanced;

    private ClassWeights(double[] given, boolean balanced) {
        this.given = given;
        this.balanced = balanced;
    }

    /** A list of weights in class-index order, each finite and ≥ 0 (an empty list is {@link #NONE}). */
    public static ClassWeights of(double... weights) {
        if (weights == null || weights.length == 0) {
            return NONE;
        }
        for (double w : weights) {
            if (!(w >= 0) || w == Double.POSITIVE_INFINITY) {
                throw new UserError(KEY + ": every weight must be a finite number >= 0, got "
                        + Arrays.toString(weights));
            }
        }
        return new ClassWeights(weights.clone(), false);
    }

    /** "balanced", "" (none), or numbers separated by commas, as the Spark ML param and --set spell them. */
    public static ClassWeights parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            return NONE;
        }
        if (s.equalsIgnoreCase("balanced")) {
            return BALANCED;
        }
        String[] parts = s.replaceAll("^\\[|\\]$", "").split(",");
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UserError(KEY + ": expected \"balanced\" or a list of numbers, one per class, got '"
                        + s + "'");
            }
        }
        return of(w);
    }

    static ClassWeights read(ConfigReader r) {
        ConfigValue v = r.value(KEY);
        if (v.valueType() != ConfigValueType.LIST) {
            return parse(r.string(KEY));
        }
        ConfigList list = (ConfigList) v;
        double[] w = new double[list.size()];
        for (int i = 0; i < w.length; i++) {
            if (list.get(i).valueType() != ConfigValueType.NUMBER) {
                throw ConfigReader.wrong(KEY, "\"balanced\" or a list of numbers, one per class", v);
            }
            w[i] = ((Number) list.get(i).unwrapped()).doubleValue();
        }
        return of(w);
    }

    public boolean isNone() {
        return given == null && !balanced;
    }

    public boolean isBalanced() {
        return balanced;
    }

    /**
     * One weight per class of {@code train} (null for none): the list as given, or balanced = n / (k·n_c) over
     * its rows (a class without rows gets 1). Refuses a table without one class column, or a list whose length
     * is not the class count.
     */
    public double[] perClass(Dataset train) {
        if (isNone()) {
            return null;
        }
        long[] count = new long[train.numClasses()];
        if (train.hasClassIndex()) {
            for (int r = 0; r < train.rows; r++) count[train.label(r)]++;
        }
        return perClass(train.classNames, train.targets, count);
    }

    /**
     * As above from the training rows' classes (null for regression), target count and rows per class (what a
     * Spark engine counts on its partitions).
     */
    public double[] perClass(List<String> classes, int targets, long[] count) {
        if (isNone()) {
            return null;
        }
        if (classes == null || targets != 1) {
            throw new UserError(KEY + ": needs classification with one label column; this run's targets are "
                    + (classes != null ? "several 0/1 labels" : "real values"));
        }
        int k = classes.size();
        if (!balanced) {
            if (given.length != k) {
                throw new UserError(KEY + ": " + given.length + " weights for " + k + " classes " + classes
                        + "; give one per class, in that order");
            }
            return given.clone();
        }
        long n = 0;
        for (long c : count) n += c;
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = count[c] == 0 ? 1.0 : (double) n / ((double) k * count[c]);
        }
        return w;
    }

    @Override
    public String toString() {
        return balanced ? "balanced" : given == null ? "" : Arrays.toString(given);
    }
}
