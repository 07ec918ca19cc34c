// schedule.name: the shapes of the learning rate after warmup (their formulas are in Schedule).
package io.sparkprop.trainer.optim;

import java.util.Locale;

/** {@link #id()} is the config spelling. */
public enum ScheduleKind {
    CONSTANT(false, false),
    /** lr·γ^⌊s' / (stepEpochs·E)⌋ */
    STEP(true, false),
    /** lr·γ^(s'/E) */
    EXPONENTIAL(true, false),
    /** from lr down to lr_min over the steps of the whole run */
    COSINE(false, true);

    private final boolean decaysByGamma;
    private final boolean spansRun;

    ScheduleKind(boolean decaysByGamma, boolean spansRun) {
        this.decaysByGamma = decaysByGamma;
        this.spansRun = spansRun;
    }

    /** Reads schedule.gamma (and so checks it is in (0, 1]). */
    public boolean decaysByGamma() {
        return decaysByGamma;
    }

    /**
     * The curve is drawn over the run's total steps T (so over train.epochs), and ends at schedule.min-learning-rate:
     * a longer run is a different curve, not a continuation.
     */
    public boolean spansRun() {
        return spansRun;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
