// The learning-rate schedule as configured, in epochs; Schedule.of turns it into a per-step function.
package io.sparkprop.trainer.optim;

/**
 * The schedule's config values. Fields a schedule does not use are ignored (and not validated).
 *
 * @param kind         the shape after warmup
 * @param baseLr       the peak learning rate, reached at the end of warmup
 * @param warmupEpochs epochs of linear warmup before the schedule proper (0 for none)
 * @param gamma        decay factor for step (per stepEpochs) and exponential (per epoch), in (0, 1]
 * @param stepEpochs   epochs between step decays, ≥ 1
 * @param minLr        the floor of step and exponential decay and cosine's final rate, in [0, baseLr]
 */
public record ScheduleSpec(ScheduleKind kind, double baseLr, int warmupEpochs, double gamma, int stepEpochs, double minLr) {

    /** A constant learning rate without warmup. */
    public static ScheduleSpec constant(double lr) {
        return new ScheduleSpec(ScheduleKind.CONSTANT, lr, 0, 1.0, 1, 0.0);
    }
}
