// Learning rate as a function of the global step: linear warmup, then constant, step, exponential or cosine decay.
package io.sparkprop.trainer.optim;

/**
 * lr(s) for the 0-based global step s. With W warmup steps, E steps per epoch and T total steps:
 * <pre>
 *   s &lt; W:  lr(s) = lr·(s + 1)/W                              (linear warmup, reaches lr at s = W − 1)
 *   else, with s' = s − W (the decay clock starts when warmup ends, so lr(W) = lr for every schedule):
 *   constant:     lr
 *   step:         max(lr_min, lr·γ^⌊s' / (stepEpochs·E)⌋)
 *   exponential:  max(lr_min, lr·γ^(s'/E))                      (γ per epoch, applied smoothly per step)
 *   cosine:       lr_min + ½(lr − lr_min)(1 + cos(π·p)),  p = min(1, s'/(T − W))
 * </pre>
 * lr_min floors every decaying schedule (not the warmup, which starts below it). Cosine reaches lr_min at s = T (one past the last step, as in PyTorch's CosineAnnealingLR with T_max = T − W) and
 * stays there. Cosine annealing: I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * ICLR 2017; warmup: P. Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017.
 */
public final class Schedule {

    private final ScheduleKind kind;
    private final double baseLr;
    private final long warmupSteps;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final double gamma;
    private final long stepSizeSteps;
    private final double minLr;

    private Schedule(ScheduleKind kind, double baseLr, long warmupSteps, long stepsPerEpoch, long totalSteps, double gamma,
                     long stepSizeSteps, double minLr) {
        this.kind = kind;
        this.baseLr = baseLr;
        this.warmupSteps = warmupSteps;
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = totalSteps;
        this.gamma = gamma;
        this.stepSizeSteps = stepSizeSteps;
        this.minLr = minLr;
    }

    /**
     * @param spec          the configured schedule
     * @param stepsPerEpoch E, optimizer steps per epoch, ≥ 1
     * @param totalSteps    T, optimizer steps in the whole run, ≥ 1
     * @throws IllegalArgumentException for an invalid value
     */
    public static Schedule of(ScheduleSpec spec, long stepsPerEpoch, long totalSteps) {
        ScheduleKind kind = spec.kind();
        if (kind == null) {
            throw new IllegalArgumentException("no schedule kind given");
        }
        double lr = spec.baseLr();
        if (!(lr > 0) || lr == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
        }
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
        }
        if (spec.warmupEpochs() < 0) {
            throw new IllegalArgumentException("warmup epochs must be >= 0, got " + spec.warmupEpochs());
        }
        long warmupSteps = spec.warmupEpochs() * stepsPerEpoch;
        if (warmupSteps > totalSteps) {
            throw new IllegalArgumentException("warmup of " + spec.warmupEpochs() + " epochs (" + warmupSteps
                    + " steps) is longer than training (" + totalSteps + " steps)");
        }
        double gamma = spec.gamma();
        if (kind.decaysByGamma() && !(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("schedule '" + kind + "': gamma must be in (0, 1], got " + gamma);
        }
        long stepSizeSteps = 1;
        if (kind == ScheduleKind.STEP) {
            if (spec.stepEpochs() < 1) {
                throw new IllegalArgumentException("schedule 'step': step-size epochs must be >= 1, got " + spec.stepEpochs());
            }
            stepSizeSteps = spec.stepEpochs() * stepsPerEpoch;
        }
        double minLr = spec.minLr();
        if (kind != ScheduleKind.CONSTANT && !(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("schedule '" + kind + "': min learning rate must be in [0, " + lr + "], got " + minLr);
        }
        return new Schedule(kind, lr, warmupSteps, stepsPerEpoch, totalSteps, gamma, stepSizeSteps, minLr);
    }

    /** The learning rate at 0-based global step s ≥ 0. Allocation-free. */
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        long s = step - warmupSteps;
        switch (kind) {
            case STEP:
                return Math.max(minLr, baseLr * Math.pow(gamma, s / stepSizeSteps));
            case EXPONENTIAL:
                return Math.max(minLr, baseLr * Math.pow(gamma, (double) s / stepsPerEpoch));
            case COSINE:
                double progress = Math.min(1.0, (double) s / Math.max(1, totalSteps - warmupSteps));
                return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
            default:
                return baseLr;
        }
    }

    public ScheduleKind kind() {
        return kind;
    }

    public long warmupSteps() {
        return warmupSteps;
    }
}
