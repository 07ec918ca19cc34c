// A classifier fit's summary: the run's measurements plus MLlib's training-summary metrics on the training rows.
package io.sparkprop.ml;

/**
 * The methods of MLlib's MultilayerPerceptronClassificationTrainingSummary (accuracy, per-label and weighted
 * precision, recall and F-measure, rates by label, predictions, objectiveHistory, totalIterations) beside the
 * {@link TrainingSummary} fields. The metrics score the DataFrame the model was fitted on (validation rows
 * included, as MLlib has none), computed on first use by {@link ClassificationSummary}.
 */
public final class ClassificationTrainingSummary extends ScoredTrainingSummary<ClassificationSummary> {
    private static final long serialVersionUID = 1L;

    ClassificationTrainingSummary(TrainingSummary run, ClassificationSummary metrics) {
        super(run, metrics);
    }

    public double[] labels() { return metrics.labels(); }
    public double accuracy() { return metrics.accuracy(); }
    public double[] truePositiveRateByLabel() { return metrics.truePositiveRateByLabel(); }
    public double[] falsePositiveRateByLabel() { return metrics.falsePositiveRateByLabel(); }
    public double[] precisionByLabel() { return metrics.precisionByLabel(); }
    public double[] recallByLabel() { return metrics.recallByLabel(); }
    public double[] fMeasureByLabel(double beta) { return metrics.fMeasureByLabel(beta); }
    public double[] fMeasureByLabel() { return metrics.fMeasureByLabel(); }
    public double weightedTruePositiveRate() { return metrics.weightedTruePositiveRate(); }
    public double weightedFalsePositiveRate() { return metrics.weightedFalsePositiveRate(); }
    public double weightedRecall() { return metrics.weightedRecall(); }
    public double weightedPrecision() { return metrics.weightedPrecision(); }
    public double weightedFMeasure(double beta) { return metrics.weightedFMeasure(beta); }
    public double weightedFMeasure() { return metrics.weightedFMeasure(); }
}
