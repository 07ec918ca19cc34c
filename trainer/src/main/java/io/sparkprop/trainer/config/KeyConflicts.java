// Values that are each valid but cannot go together: every error names both keys and what to change.
// TrainConfig calls these while it reads, at the point where the second key has been read.
package io.sparkprop.trainer.config;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.optim.ScheduleKind;
import java.util.List;

final class KeyConflicts {
    private KeyConflicts() {
    }

    /** What L-BFGS cannot honour (optimizer.name = lbfgs), each refused naming both keys. */
    static void lbfgs(List<LayerSpec> layers, double dropout, ScheduleKind schedule, int warmupEpochs,
                      double clipNorm, StepProtocol p) {
        String why = "optimizer.name = lbfgs";
        if (layers.stream().anyMatch(l -> l.kind() == LayerKind.DROPOUT && l.rate() > 0)) {
            throw new UserError("model.layers: a dropout layer with " + why + " (its line search needs the same"
                    + " loss at every evaluation); remove it or choose another optimizer.name");
        }
        if (layers.stream().anyMatch(l -> l.kind() == LayerKind.BATCH_NORM)) {
            throw new UserError("model.layers: a batch-norm layer with " + why + " (its running statistics move"
                    + " once per step, and L-BFGS takes none); remove it or choose another optimizer.name");
        }
        if (dropout > 0) {
            throw new UserError("model.dropout: " + dropout + " with " + why + " (its line search needs the same"
                    + " loss at every evaluation); set model.dropout = 0 or another optimizer.name");
        }
        if (schedule != ScheduleKind.CONSTANT || warmupEpochs > 0) {
            throw new UserError("schedule.name: " + schedule + (warmupEpochs > 0 ? " (schedule.warmup-epochs "
                    + warmupEpochs + ")" : "") + " with " + why + " (its line search chooses each step); use"
                    + " schedule.name = constant and schedule.warmup-epochs = 0, or another optimizer.name");
        }
        if (clipNorm > 0) {
            throw new UserError("optimizer.clip-norm: " + clipNorm + " with " + why + " (its line search bounds each"
                    + " step); set optimizer.clip-norm = 0 or another optimizer.name");
        }
        if (p == StepProtocol.BARRIER) {
            throw new UserError("spark.protocol: barrier with " + why + " (the barrier job runs one step per batch;"
                    + " a line search evaluates several points); use spark.protocol = driver or auto");
        }
    }

    /** What only the Spark engine can do: a Hadoop checkpoint.dir, Parquet input (which also needs one fold). */
    static void engine(EngineKind engine, String checkpointDir, DataFormat format, int folds) {
        if (engine == EngineKind.LOCAL && !checkpointDir.startsWith("file:")
                && checkpointDir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new UserError("checkpoint.dir: " + checkpointDir + " is not a local folder; Hadoop file systems"
                    + " need train.engine = spark");
        }
        if (format == DataFormat.PARQUET && engine != EngineKind.SPARK) {
            throw new UserError("data.format: parquet is read on the executors through Spark SQL; set"
                    + " train.engine = spark");
        }
        if (format == DataFormat.PARQUET && folds > 1) {
            throw new UserError("eval.folds: " + folds + " needs the rows on the driver; Parquet input trains with"
                    + " eval.folds = 1");
        }
    }
}
