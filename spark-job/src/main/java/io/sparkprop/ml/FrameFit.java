// One training run over a DataFrame: the CLI's TrainJob and Spark engine, with the rows read on the executors.
package io.sparkprop.ml;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.data.ExecutorInput;
import io.sparkprop.spark.data.FrameInput;
import io.sparkprop.spark.infra.HadoopCheckpointStore;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.RunHooks;
import io.sparkprop.trainer.train.TrainJob;
import io.sparkprop.trainer.train.TrainingData;

/**
 * The run writes its usual files (summary, metrics, model) into a temporary folder on the driver, which is read
 * back and deleted: the weights are those of `sparkprop train` on the same rows, bit for bit.
 */
final class FrameFit {
    private FrameFit() {
    }

    record Fitted(Model model, TrainingSummary summary) {
    }

    /**
     * @param classIndices Spark ML labels: the classes must be the numbers 0 … k−1, so that a prediction is
     *                     the label's own value
     */
    static Fitted run(Dataset<?> frame, List<String> features, String label, TrainConfig cfg, String featuresKey,
                      String labelKey, boolean classIndices, PrintStream log) {
        return run(frame, features, label, null, cfg, featuresKey, labelKey, classIndices, log, data -> { });
    }

    /**
     * As above; {@code validationCol} (or null) names a boolean column marking the validation rows, and
     * {@code check} sees the data's shape (features, classes) before training starts.
     */
    static Fitted run(Dataset<?> frame, List<String> features, String label, String validationCol, TrainConfig cfg,
                      String featuresKey, String labelKey, boolean classIndices, PrintStream log,
                      java.util.function.Consumer<TrainingData> check) {
        return run(frame, features, label, validationCol, cfg, featuresKey, labelKey, classIndices, log, check, null);
    }

    /** As above with the features' categorical slots ({@link NominalSlots}; null: data.categorical-columns). */
    static Fitted run(Dataset<?> frame, List<String> features, String label, String validationCol, TrainConfig cfg,
                      String featuresKey, String labelKey, boolean classIndices, PrintStream log,
                      java.util.function.Consumer<TrainingData> check, Categorical categorical) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Path tmp = null;
        try {
            EngineFactory spark = EngineFactory.resolve(sc, cfg, cfg.runName().isEmpty() ? "sparkprop fit"
                    : cfg.runName());
            ExecutorInput data = FrameInput.read(frame, features, label, validationCol, cfg, spark.partitions(), featuresKey,
                    labelKey, null, "read on the executors", log, categorical);
            if (classIndices && data.classNames() != null) {
                checkIndices(data.classNames(), labelKey);
            }
            check.accept(data);
            cfg = clampBatch(cfg, data.trainRows(), log);
            tmp = Files.createTempDirectory("sparkprop-fit");
            List<EpochRecord> history = new ArrayList<>();
            Hooks hooks = new Hooks(spark, data, validationCol != null);
            Map<String, Object> summary = new TrainJob(cfg, tmp.resolve("run"), hooks, log)
                    .onEpoch(history::add).run(false);
            summary = new LinkedHashMap<>(summary);
            Model model = ModelIO.load(tmp.resolve("run").resolve("model"));
            return new Fitted(model, new TrainingSummary(summary, history));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw userFacing(e);
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteRecursively(tmp);
            }
        }
    }

    /**
     * A fit's config: {@code explicit} (set params) over the HOCON {@code text} over {@code base} over
     * reference.conf, the Spark engine forced, validated by TrainConfig; errors start with {@code who}.
     */
    static TrainConfig config(String text, Config explicit, Config base, String who) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("config"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(who + ": " + e.getMessage(), e);
        }
        Config forced = ConfigFactory.parseMap(Map.of("train.engine", "spark", "data.train", "dataframe",
                "data.test", "", "data.format", "auto"), "fit");
        TrainConfig cfg;
        try {
            cfg = TrainConfig.from(forced.withFallback(explicit).withFallback(parsed).withFallback(base));
        } catch (UserError e) {
            throw new IllegalArgumentException(who + ": " + e.getMessage(), e);
        }
        if (cfg.folds() > 1) {
            throw new IllegalArgumentException(who + ": eval.folds: " + cfg.folds() + " is not used by fit; use"
                    + " Spark ML's CrossValidator");
        }
        return cfg;
    }

    /**
     * A batch larger than the training rows becomes one batch of all of them (a log line says so), as a Spark ML
     * estimator takes whatever rows it is given; the CLI refuses such a batch instead (TrainJob).
     */
    static TrainConfig clampBatch(TrainConfig cfg, int rows, PrintStream log) {
        if (cfg.batchSize() <= rows || rows < 1) {
            return cfg;
        }
        log.println("train.batch-size: " + cfg.batchSize() + " is larger than the " + rows + " training rows;"
                + " using batches of " + rows);
        return TrainConfig.from(cfg.config().withValue("train.batch-size",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(rows, "clamped to the training rows")));
    }

    /** A user error anywhere in the cause chain (also from an executor) becomes one IllegalArgumentException. */
    static RuntimeException userFacing(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError u) {
                return new IllegalArgumentException(u.getMessage(), e);
            }
        }
        return e;
    }

    private static void checkIndices(List<String> classes, String labelKey) {
        for (int c = 0; c < classes.size(); c++) {
            if (Double.parseDouble(classes.get(c)) != c) {
                throw new UserError(labelKey + ": labels must be the class indices 0 … k−1 (a StringIndexer gives"
                        + " them); found " + classes);
            }
        }
    }

    /**
     * The CLI's Spark hooks without a context of their own: the DataFrame's session runs the engine, built by
     * the same factory from the same config, so its summary has the CLI's fields too.
     */
    private static final class Hooks implements RunHooks {
        private final EngineFactory spark;
        private final ExecutorInput data;
        private final boolean markedValidation;
        private SparkEngine engine;

        Hooks(EngineFactory spark, ExecutorInput data, boolean markedValidation) {
            this.spark = spark;
            this.data = data;
            this.markedValidation = markedValidation;
        }

        @Override
        public boolean ownValidationSplit() {
            return markedValidation;
        }

        @Override
        public TrainingData prepare(TrainConfig c, PrintStream log) {
            return data;
        }

        @Override
        public Engine engine(Network net, TrainingData d, BatchPlan plan) {
            engine = spark.create(net, d, plan);
            return engine;
        }

        /** Checkpoints only when checkpoint.dir names a place (a fit has no run directory to keep them in). */
        @Override
        public CheckpointStore checkpointStore(TrainConfig c, Path out) {
            if (c.checkpointDir().isEmpty()) {
                return CheckpointStore.NONE;
            }
            return new HadoopCheckpointStore(HadoopCheckpointStore.resolve(c.checkpointDir(), out),
                    spark.context().hadoopConfiguration());
        }

        @Override
        public Map<String, Object> summaryExtras() {
            return engine != null ? engine.summary() : Map.of();
        }
    }
}
