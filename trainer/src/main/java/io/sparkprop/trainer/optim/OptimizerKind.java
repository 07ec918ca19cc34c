// optimizer.name: the update rules, each constant building its own optimizer with defaults for what is not passed.
package io.sparkprop.trainer.optim;

import io.sparkprop.trainer.nn.ParamLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@link #id()} is the config spelling; adding an update rule is one constant here and its tests. */
public enum OptimizerKind {
    SGD {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new Sgd(size);
        }
    },
    MOMENTUM {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new Momentum(size, momentum);
        }
    },
    NESTEROV {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new Nesterov(size, momentum);
        }
    },
    ADAGRAD {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new Adagrad(size);
        }
    },
    RMSPROP {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new RmsProp(size);
        }
    },
    ADAM {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            return new Adam(size, momentum, Adam.BETA2, Adam.EPS);
        }
    },
    ADAMW {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            if (layout == null) {
                throw new IllegalArgumentException("adamw needs the parameter layout to tell weights from biases");
            }
            return new AdamW(layout.weightMask(), weightDecay, momentum, Adam.BETA2, Adam.EPS);
        }
    },
    /**
     * Full-batch quasi-Newton ({@link Lbfgs}): not a per-step rule; its line search drives the engine's full-batch
     * sums itself (train.LbfgsEpochs), so it builds no {@link Optimizer}.
     */
    LBFGS {
        @Override
        Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay) {
            throw new IllegalStateException("lbfgs is not a per-step update rule");
        }

        @Override
        public boolean perStep() {
            return false;
        }
    };

    /** The config spellings, in declaration order. */
    public static final List<String> IDS = Arrays.stream(values()).map(OptimizerKind::id).toList();

    /** The per-step rules, those {@link #create} builds: all but {@link #LBFGS}. */
    public static final List<OptimizerKind> PER_STEP = Arrays.stream(values()).filter(OptimizerKind::perStep).toList();

    /** Their config spellings. */
    public static final List<String> PER_STEP_IDS = PER_STEP.stream().map(OptimizerKind::id).toList();

    /** Whether this is a rule the step applies to each batch's gradient (all but L-BFGS). */
    public boolean perStep() {
        return true;
    }

    abstract Optimizer build(int size, ParamLayout layout, double momentum, double weightDecay);

    /**
     * @param size        P, the length of θ
     * @param layout      the parameter layout; required for adamw (it decays weights only), may be null otherwise;
     *                    if given, its size must be P
     * @param momentum    μ for momentum and nesterov, β₁ for adam and adamw (β₂ and ε keep {@link Adam}'s
     *                    defaults), in [0, 1); ignored by the others
     * @param weightDecay λ for adamw's decoupled decay, ≥ 0; ignored by the others (they get L2 through the
     *                    {@link Updater})
     * @throws IllegalArgumentException for an invalid hyperparameter or a layout of another size
     */
    public Optimizer create(int size, ParamLayout layout, double momentum, double weightDecay) {
        if (layout != null && layout.size() != size) {
            throw new IllegalArgumentException("optimizer size " + size + " does not match the layout's " + layout.size()
                    + " parameters");
        }
        return build(size, layout, momentum, weightDecay);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
