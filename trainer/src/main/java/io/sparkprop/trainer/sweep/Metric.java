// The metric a sweep optimises (`sweep.metric { name, goal }`): where to read it and which direction is better.
package io.sparkprop.trainer.sweep;

import java.util.List;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.train.EpochRecord;

/**
 * Per-epoch metrics (train_loss, val_loss, val_accuracy, val_r2) are read from every epoch, so a trial's best
 * value and its epoch are known and successive halving can compare trials mid-run. The others exist only in
 * summary.json at the end of a run (or of a successive-halving rung).
 */
public record Metric(String name, boolean maximize) {
    public static final List<String> PER_EPOCH = List.of("val_accuracy", "val_loss", "train_loss", "val_r2");
    public static final List<String> SUMMARY = List.of("cv_accuracy_mean", "test_accuracy", "test_loss",
            "train_accuracy", "val_rmse", "val_mae", "test_rmse", "test_mae", "test_r2", "train_rmse",
            "train_mae", "train_r2");

    /** name must be one of {@link #PER_EPOCH} or {@link #SUMMARY}; goal "maximize" | "minimize" | null (default). */
    static Metric parse(String name, String goal) {
        if (!PER_EPOCH.contains(name) && !SUMMARY.contains(name)) {
            throw new UserError("sweep.metric.name: unknown '" + name + "', expected one of "
                    + String.join(", ", PER_EPOCH) + ", " + String.join(", ", SUMMARY));
        }
        if (goal == null) {
            return new Metric(name, name.endsWith("accuracy") || name.endsWith("r2")
                    || name.equals("cv_accuracy_mean"));
        }
        return switch (goal) {
            case "maximize" -> new Metric(name, true);
            case "minimize" -> new Metric(name, false);
            default -> throw new UserError("sweep.metric.goal: unknown '" + goal + "', expected maximize or minimize");
        };
    }

    public boolean perEpoch() {
        return PER_EPOCH.contains(name);
    }

    /** The metric of one epoch (NaN when the run has no validation split). */
    public double of(EpochRecord r) {
        return switch (name) {
            case "train_loss" -> r.trainLoss();
            case "val_loss" -> r.valLoss();
            default -> r.valMetric(); // val_accuracy or val_r2, by the loss kind
        };
    }

    /** True when a is strictly better than b; NaN is worse than any number. */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return maximize ? a > b : a < b;
    }

    /** Fails when a trial's config cannot produce this metric, e.g. val_accuracy without a validation split. */
    void checkAvailable(TrainConfig cfg, String trial) {
        boolean classification = cfg.classification();
        String why = null;
        if (name.startsWith("val_") && cfg.validationFraction() == 0) {
            why = "needs data.validation-fraction > 0";
        } else if (name.startsWith("test_") && !cfg.hasTest()) {
            why = "needs data.test";
        } else if (name.startsWith("cv_") && cfg.folds() < 2) {
            why = "needs eval.folds >= 2";
        } else if (name.endsWith("accuracy") && !classification) {
            why = "needs a classification loss (model.loss = " + cfg.loss() + ")";
        } else if ((name.endsWith("r2") || name.endsWith("rmse") || name.endsWith("mae")) && classification) {
            why = "is for regression; with " + cfg.loss() + " use an accuracy or loss metric";
        }
        if (why != null) {
            throw new UserError("sweep.metric.name: " + name + " " + why + (trial.isEmpty() ? "" : " (" + trial + ")"));
        }
    }
}
