// The CLI's answers to a train run's extension points: the data (RunData), the engine (local, or Spark through the
// one EngineFactory), where checkpoints go, what summary.json adds, and curves.png.
package io.sparkprop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

import io.sparkprop.plot.Curves;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.infra.HadoopCheckpointStore;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.data.ExecutorInput;
import io.sparkprop.spark.data.FrameInput;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.EngineKind;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.RunHooks;
import io.sparkprop.trainer.train.TrainingData;

/**
 * spark.partitions and spark.protocol are resolved once, on the first Spark use (reading the data, or the first
 * engine of a cross-validation, whose folds are loaded on the driver), and every Spark engine of the run is built
 * from that one resolution.
 */
final class EngineHooks implements RunHooks, AutoCloseable {
    private final TrainConfig cfg;
    private final String runName;
    private final RunContext context;
    private EngineFactory factory;
    /** The last Spark engine built: the run's own (a cross-validation builds one per fold before it). */
    private SparkEngine engine;

    EngineHooks(TrainConfig cfg, String master, String runName, boolean verbose) {
        this.cfg = cfg;
        this.runName = runName;
        this.context = new RunContext(master, "sparkprop " + runName, verbose);
    }

    @Override
    public TrainingData prepare(TrainConfig c, PrintStream log) {
        return RunData.prepare(c, this::spark, log);
    }

    private EngineFactory spark() {
        if (factory == null) {
            factory = EngineFactory.resolve(context.get(), cfg, runName);
        }
        return factory;
    }

    @Override
    public Engine engine(Network net, TrainingData data, BatchPlan plan) {
        if (cfg.engineKind() == EngineKind.LOCAL) {
            int threads = cfg.threads() > 0 ? cfg.threads() : Runtime.getRuntime().availableProcessors();
            return LocalEngine.on(net, data, plan, () -> cfg.backend().gemm(), threads);
        }
        engine = spark().create(net, data, plan);
        return engine;
    }

    /** train.engine = spark: checkpoint.dir through the Hadoop FileSystem API (file:, hdfs:, s3a:, ...). */
    @Override
    public CheckpointStore checkpointStore(TrainConfig config, Path out) {
        if (config.engineKind() == EngineKind.LOCAL) {
            return RunHooks.super.checkpointStore(config, out);
        }
        Configuration hadoop = context.started() ? context.get().hadoopConfiguration() : new Configuration();
        return new HadoopCheckpointStore(HadoopCheckpointStore.resolve(config.checkpointDir(), out), hadoop);
    }

    @Override
    public Map<String, Object> summaryExtras() {
        return engine != null ? engine.summary() : Map.of();
    }

    @Override
    public void afterRun(Path out, List<EpochRecord> history, boolean classification) {
        Curves.write(out.resolve("curves.png"), history, classification);
    }

    @Override
    public void close() {
        context.close();
    }
}
