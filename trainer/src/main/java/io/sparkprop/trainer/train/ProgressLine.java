// The one line a run prints per epoch: step, losses, validation metric, learning rate, throughput, time split.
package io.sparkprop.trainer.train;

/** Formats an {@link EpochRecord} for the console; metrics.csv holds the same numbers unrounded. */
final class ProgressLine {
    private ProgressLine() {
    }

    /** {@code classification} picks the validation metric's name: val_acc, else val_r2. */
    static String of(EpochRecord r, boolean classification) {
        StringBuilder sb = new StringBuilder(String.format("epoch %4d  step %7d  loss %.5f", r.epoch(), r.step(),
                r.trainLoss()));
        if (!Double.isNaN(r.valLoss())) {
            sb.append(String.format("  val_loss %.5f  %s %.4f", r.valLoss(),
                    classification ? "val_acc" : "val_r2", r.valMetric()));
        }
        if (!Double.isNaN(r.learningRate())) { // lbfgs has none: its line search picks each step
            sb.append(String.format("  lr %.3g", r.learningRate()));
        }
        sb.append(String.format("  %,.0f samples/s  %.2fs", r.samplesPerSecond(), r.elapsedSeconds()));
        if (!r.timeSplit().isEmpty()) {
            sb.append("  [").append(r.timeSplit()).append(']');
        }
        return sb.toString();
    }
}
