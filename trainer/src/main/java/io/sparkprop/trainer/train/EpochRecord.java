// One row of metrics.csv and one progress line: what an epoch achieved and what it cost.
package io.sparkprop.trainer.train;

/** valLoss/valMetric are NaN without a validation split; valMetric is accuracy, or R² for regression. */
public record EpochRecord(int epoch, long step, double trainLoss, double valLoss, double valMetric,
                          double learningRate, double samplesPerSecond, double elapsedSeconds,
                          String timeSplit) {
}
