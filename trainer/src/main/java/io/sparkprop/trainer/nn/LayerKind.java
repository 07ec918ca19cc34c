// The layer types of a model.layers list, each carrying its config spelling, whether it owns weights, and its
// shape rule (what it maps an input shape to, or why it cannot take that shape).
package io.sparkprop.trainer.nn;

/**
 * {@link #out} returns the output shape of one example, or throws {@link IllegalArgumentException} with the
 * reason (the caller adds the layer's index and both shapes).
 */
public enum LayerKind {
    /** Filters × (k × k × channels) weights and one bias per filter; lowered onto one GEMM per block of rows. */
    CONV2D("conv2d", true, true) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            int h = (in.height() + 2 * s.padding() - s.kernel()) / s.stride() + 1;
            int w = (in.width() + 2 * s.padding() - s.kernel()) / s.stride() + 1;
            if (in.height() + 2 * s.padding() < s.kernel() || in.width() + 2 * s.padding() < s.kernel()) {
                throw new IllegalArgumentException("kernel " + s.kernel() + " with padding " + s.padding()
                        + " does not fit the input");
            }
            return new Shape(s.units(), h, w);
        }
    },
    /** The largest value of each size × size window (gradient to the first maximum, as PyTorch). */
    MAX_POOL("max-pool", false, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return pooled(s, in);
        }
    },
    /** The mean of each size × size window. */
    AVG_POOL("avg-pool", false, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return pooled(s, in);
        }
    },
    /** [c, h, w] → [c·h·w]: the values stay where they are. */
    FLATTEN("flatten", false, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return Shape.flat(in.size());
        }
    },
    /** units × in weights and one bias per unit, on a flat input. */
    DENSE("dense", true, true) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            if (!in.isFlat()) {
                throw new IllegalArgumentException("dense needs a flat input; add { type = flatten } before it");
            }
            return Shape.flat(s.units());
        }
    },
    /** Inverted dropout with the row-keyed masks of model.dropout. */
    DROPOUT("dropout", false, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return in;
        }
    },
    /**
     * Normalises each channel of [c, h, w] (each feature of a flat input) with the mean and variance of the whole
     * global batch, then γ·x̂ + β; γ, β and the running mean and variance live in the flat vector ({@link BatchNorm}).
     */
    BATCH_NORM("batch-norm", true, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return in;
        }
    },
    /** Each example normalised over all its values, then scaled and shifted elementwise (γ, β of its shape). */
    LAYER_NORM("layer-norm", true, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            return in;
        }
    },
    /**
     * The categorical input columns' table rows (dim values each) followed by the numeric features; the output
     * size depends on the data's categorical columns, so {@link LayerStack} computes it ({@link Categorical}).
     */
    EMBEDDING("embedding", true, false) {
        @Override
        Shape out(LayerSpec s, Shape in) {
            throw new IllegalArgumentException("embedding must be the first layer (it reads the categorical input"
                    + " columns)");
        }
    };

    public final String configName;
    /** Owns a weight matrix and a bias vector in the flat parameter vector. */
    public final boolean hasParams;
    /** Applies an element-wise activation after its affine map. */
    public final boolean hasActivation;

    LayerKind(String configName, boolean hasParams, boolean hasActivation) {
        this.configName = configName;
        this.hasParams = hasParams;
        this.hasActivation = hasActivation;
    }

    abstract Shape out(LayerSpec s, Shape in);

    private static Shape pooled(LayerSpec s, Shape in) {
        if (in.height() < s.kernel() || in.width() < s.kernel()) {
            throw new IllegalArgumentException("window " + s.kernel() + " does not fit the input");
        }
        return new Shape(in.channels(), (in.height() - s.kernel()) / s.stride() + 1,
                (in.width() - s.kernel()) / s.stride() + 1);
    }

    /** The constant spelled {@code name} in a config, or null. */
    public static LayerKind parse(String name) {
        for (LayerKind k : values()) {
            if (k.configName.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }
}
