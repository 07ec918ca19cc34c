// Builds an optimizer from its config name; NAMES is the one list of valid names (TrainConfig checks
// optimizer.name against it).
package io.sparkprop.trainer.optim;

import java.util.List;
import java.util.Locale;

import io.sparkprop.trainer.nn.ParamLayout;

/** Factory for {@link Optimizer}s by config name, with default hyperparameters for everything not passed in. */
public final class Optimizers {

    /** Valid names for {@link #create}: the per-step update rules. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    /** The full-batch quasi-Newton method ({@link Lbfgs}); not a per-step rule, so not in {@link #NAMES}. */
    public static final String LBFGS = "lbfgs";

    /** Every valid optimizer.name: {@link #NAMES} and {@link #LBFGS}. */
    public static final List<String> CONFIG_NAMES = java.util.stream.Stream.concat(NAMES.stream(),
            java.util.stream.Stream.of(LBFGS)).toList();

    private Optimizers() {
    }

    /**
     * @param name        one of {@link #NAMES} (case-insensitive)
     * @param size        P, the number of parameters
     * @param layout      the parameter layout; required for adamw (it decays weights only), may be null otherwise;
     *                    if given, its size must be P
     * @param momentum    μ for momentum and nesterov, in [0, 1); ignored by the others
     * @param weightDecay λ for adamw's decoupled decay, ≥ 0; ignored by the others (they get L2 through the
     *                    {@link Updater})
     * @throws IllegalArgumentException for an unknown name or an invalid hyperparameter
     */
    public static Optimizer create(String name, int size, ParamLayout layout, double momentum, double weightDecay) {
        if (layout != null && layout.size() != size) {
            throw new IllegalArgumentException("optimizer size " + size + " does not match the layout's " + layout.size()
                    + " parameters");
        }
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "sgd" -> new Sgd(size);
            case "momentum" -> new Momentum(size, momentum);
            case "nesterov" -> new Nesterov(size, momentum);
            case "adagrad" -> new Adagrad(size);
            case "rmsprop" -> new RmsProp(size);
            case "adam" -> new Adam(size);
            case "adamw" -> {
                if (layout == null) {
                    throw new IllegalArgumentException("adamw needs the parameter layout to tell weights from biases");
                }
                yield new AdamW(layout, weightDecay);
            }
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "', expected one of " + NAMES);
        };
    }

    /** mask[i] = layout.isWeight(i): true for weight-matrix entries, false for biases. Computed in O(P). */
    public static boolean[] weightMask(ParamLayout layout) {
        boolean[] mask = new boolean[layout.size()];
        for (int l = 0; l < layout.layers(); l++) {
            for (int i = layout.wOffset(l), end = layout.bOffset(l); i < end; i++) {
                mask[i] = true;
            }
        }
        return mask;
    }
}
