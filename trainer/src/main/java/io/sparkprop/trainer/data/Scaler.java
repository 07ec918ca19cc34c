// Per-feature scaling x' = (x − shift) · scale, fitted on training rows only and saved with the model.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.util.Arrays;
import java.util.Locale;

/**
 * <ul>
 *   <li>none: shift 0, scale 1;</li>
 *   <li>standard: shift = mean, scale = 1/max(σ, (max − min)/{@value #MAX_Z}) (σ: population standard
 *       deviation);</li>
 *   <li>minmax: shift = min, scale = 1/(max − min), mapping the training range onto [0, 1];</li>
 *   <li>auto, in the config only: {@link Scaling#AUTO} picks minmax for LIBSVM and IDX data, standard otherwise.</li>
 * </ul>
 * A feature that is constant on the training rows gets scale 0, so it maps to 0 (never NaN or ∞) and cannot
 * dominate the network. A nearly constant one — a pixel that is 0 in all but a few training images — has a tiny σ
 * next to its range, and 1/σ would blow an unseen bright test pixel up to hundreds; the floor on σ keeps every
 * value inside the training range within {@value #MAX_Z} of the mean (for roughly normal columns it never
 * binds below a million rows, since their range stays under 10σ). Statistics come from the rows passed to
 * {@link #fit} — the training split — so validation and test rows never leak into them.
 */
public final class Scaler implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        NONE, STANDARD, MINMAX;

        /** "none", "standard" or "minmax" (any case). */
        public static Kind parse(String s) {
            String k = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
            switch (k) {
                case "none":
                    return NONE;
                case "standard":
                    return STANDARD;
                case "minmax":
                    return MINMAX;
                default:
                    throw new UserError("unknown scaler \"" + s + "\"; expected none, standard or minmax");
            }
        }

        /** The config spelling, the inverse of {@link #parse}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A feature whose statistics overflow float64 — values near ±1.8e308, or (standard) deviations whose square
     * does — so its scaled values would be ∞ or NaN. The caller names the file and column.
     */
    public static final class Overflow extends UserError {
        private static final long serialVersionUID = 1L;
        /** 0-based feature index. */
        public final int feature;
        /** Why, without the feature: "values up to 1.0E308 overflow float64 in data.scale = standard ...". */
        public final String reason;

        Overflow(int feature, Kind kind, double largest) {
            super("feature " + (feature + 1) + ": " + reason(kind, largest));
            this.feature = feature;
            this.reason = reason(kind, largest);
        }

        private static String reason(Kind kind, double largest) {
            return "values up to " + largest + " overflow float64 in data.scale = " + kind.id() + " (its "
                    + (kind == Kind.STANDARD ? "mean and variance" : "range") + "); rescale this column, e.g. to"
                    + " other units";
        }
    }

    /** standard: no value inside the training range lands further than this from the mean. */
    public static final double MAX_Z = 10;

    private final Kind kind;
    private final double[] shift;
    private final double[] scale;

    private Scaler(Kind kind, double[] shift, double[] scale) {
        this.kind = kind;
        this.shift = shift;
        this.scale = scale;
    }

    /**
     * This scaler with the given features left as they are (shift 0, scale 1): categorical columns hold codes that
     * an embedding looks up, so they must reach it unscaled.
     */
    public Scaler keeping(int[] features) {
        double[] sh = shift.clone();
        double[] sc = scale.clone();
        for (int f : features) {
            sh[f] = 0.0;
            sc[f] = 1.0;
        }
        return new Scaler(kind, sh, sc);
    }

    /** Restores a scaler saved with a model; the arrays are copied. */
    public static Scaler of(Kind kind, double[] shift, double[] scale) {
        if (shift.length != scale.length) {
            throw new IllegalArgumentException("shift has " + shift.length + " values but scale has " + scale.length);
        }
        return new Scaler(kind, shift.clone(), scale.clone());
    }

    public static Scaler fit(String kind, Dataset train) {
        return fit(Kind.parse(kind), train);
    }

    /** Per-feature statistics of {@code train}'s rows. */
    public static Scaler fit(Kind kind, Dataset train) {
        int p = train.features;
        double[] shift = new double[p];
        double[] scale = new double[p];
        Arrays.fill(scale, 1.0);
        if (kind == Kind.NONE) {
            return new Scaler(kind, shift, scale);
        }
        if (train.rows == 0) {
            throw new IllegalArgumentException("cannot fit a " + kind.id() + " scaler on zero rows");
        }
        double[] min = new double[p];
        double[] max = new double[p];
        double[] mean = new double[p];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        double[] x = train.x;
        for (int r = 0; r < train.rows; r++) {
            int base = r * p;
            for (int j = 0; j < p; j++) {
                double v = x[base + j];
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
                mean[j] += v;
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= train.rows;
        }
        // Two passes: the sum of squared deviations from the mean does not cancel catastrophically.
        double[] ss = new double[p];
        if (kind == Kind.STANDARD) {
            for (int r = 0; r < train.rows; r++) {
                int base = r * p;
                for (int j = 0; j < p; j++) {
                    double d = x[base + j] - mean[j];
                    ss[j] += d * d;
                }
            }
        }
        return fromStatistics(kind, train.rows, mean, ss, min, max);
    }

    /**
     * The scaler for per-feature statistics gathered elsewhere (e.g. summed over Spark partitions): n rows,
     * their mean, the sum of squared deviations from it, min and max. A statistic that overflowed is an
     * {@link Overflow}.
     */
    public static Scaler fromStatistics(Kind kind, long n, double[] mean, double[] ss, double[] min, double[] max) {
        int p = mean.length;
        double[] shift = new double[p];
        double[] scale = new double[p];
        Arrays.fill(scale, 1.0);
        for (int j = 0; j < p; j++) {
            boolean finite = Double.isFinite(max[j] - min[j])
                    && (kind != Kind.STANDARD || Double.isFinite(mean[j]) && Double.isFinite(ss[j]));
            if (kind != Kind.NONE && n > 0 && !finite) {
                throw new Overflow(j, kind, Math.max(Math.abs(min[j]), Math.abs(max[j])));
            }
        }
        if (kind == Kind.MINMAX) {
            for (int j = 0; j < p; j++) {
                shift[j] = min[j];
                scale[j] = max[j] > min[j] ? 1.0 / (max[j] - min[j]) : 0.0;
            }
        } else if (kind == Kind.STANDARD) {
            for (int j = 0; j < p; j++) {
                double sigma = Math.max(Math.sqrt(ss[j] / n), (max[j] - min[j]) / MAX_Z);
                shift[j] = mean[j];
                // Constant is judged by max == min: rounding in the mean can leave a tiny nonzero σ for equal values.
                scale[j] = max[j] > min[j] && sigma > 0 ? 1.0 / sigma : 0.0;
            }
        }
        return new Scaler(kind, shift, scale);
    }

    public Kind kind() {
        return kind;
    }

    public int features() {
        return shift.length;
    }

    /** A copy of the per-feature shifts. */
    public double[] shift() {
        return shift.clone();
    }

    /** A copy of the per-feature multipliers. */
    public double[] scale() {
        return scale.clone();
    }

    /**
     * A scaled copy of {@code d}: new x, the same y array (scaling never touches targets). For kind none the
     * dataset itself is returned, since there is nothing to change and tables can be large.
     */
    public Dataset apply(Dataset d) {
        check(d.features);
        if (kind == Kind.NONE) {
            return d;
        }
        double[] x = d.x.clone();
        applyInPlace(x, d.rows);
        return new Dataset(d.rows, d.features, d.targets, x, d.y, d.classNames).withWeights(d.w)
                .withClassWeights(d.classWeight);
    }

    /** Scales {@code d.x} itself, for tables too large to copy. */
    public void applyInPlace(Dataset d) {
        check(d.features);
        applyInPlace(d.x, d.rows);
    }

    /** Scales {@code rows} rows stored row after row in {@code x} (the Dataset layout), in place. */
    public void applyInPlace(double[] x, int rows) {
        if (kind == Kind.NONE) {
            return;
        }
        int p = shift.length;
        for (int r = 0; r < rows; r++) {
            int base = r * p;
            for (int j = 0; j < p; j++) {
                // "+ 0.0" turns the −0.0 of (negative) · 0 into +0.0, so constant features print as plain 0.
                x[base + j] = (x[base + j] - shift[j]) * scale[j] + 0.0;
            }
        }
    }

    private void check(int features) {
        if (features != shift.length) {
            throw new IllegalArgumentException("scaler was fitted on " + shift.length + " features, data has "
                    + features);
        }
    }
}
