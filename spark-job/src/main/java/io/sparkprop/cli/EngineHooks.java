// Builds the engine a config asks for (in-process or Spark) and draws the run's curves afterwards.
package io.sparkprop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.plot.Curves;
import io.sparkprop.spark.HadoopCheckpointStore;
import io.sparkprop.spark.SparkContexts;
import io.sparkprop.spark.ExecutorInput;
import io.sparkprop.spark.FrameInput;
import io.sparkprop.spark.SparkEngine;
import io.sparkprop.spark.SparkSettings;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.EngineKind;
import io.sparkprop.trainer.config.Precision;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.TrainingData;
import io.sparkprop.trainer.train.RunHooks;

/** The Spark context starts only when the first Spark engine is needed, after every input was validated. */
final class EngineHooks implements RunHooks, AutoCloseable {
    private final TrainConfig cfg;
    private final String master;
    private final String runName;
    private final boolean verbose;
    private JavaSparkContext sc;
    /** False when the run joined a context that was already running in this JVM (an application's own). */
    private boolean ownsContext;
    private int partitions;
    private SparkEngine engine;

    EngineHooks(TrainConfig cfg, String master, String runName, boolean verbose) {
        this.cfg = cfg;
        this.master = master;
        this.runName = runName;
        this.verbose = verbose;
    }

    /** CSV, LIBSVM and Parquet training data for the Spark engine is read by the executors, never loaded here. */
    @Override
    public TrainingData prepare(TrainConfig c, PrintStream log) {
        if (c.format() == DataFormat.PARQUET) { // TrainConfig checked: train.engine = spark, eval.folds = 1
            JavaSparkContext context = context();
            int p = c.partitions() > 0 ? c.partitions() : context.defaultParallelism();
            SparkEngine.checkProtocol(context, c.stepProtocol(), p);
            return FrameInput.readParquet(context, c, p, log);
        }
        if (c.engineKind() == EngineKind.SPARK && ExecutorInput.applies(c)) {
            // Local files are checked here, so a typo costs seconds, not a Spark start-up.
            LocalInputs.requireReadable("data.train", c.dataTrain());
            if (c.hasTest()) {
                LocalInputs.requireReadable("data.test", c.dataTest());
            }
            JavaSparkContext context = context();
            int p = c.partitions() > 0 ? c.partitions() : context.defaultParallelism();
            SparkEngine.checkProtocol(context, c.stepProtocol(), p);
            return ExecutorInput.read(context, c, p, log);
        }
        TrainingData data = RunHooks.super.prepare(c, log);
        if (c.engineKind() == EngineKind.SPARK) {
            JavaSparkContext context = context();
            SparkEngine.checkProtocol(context, c.stepProtocol(), c.partitions() > 0 ? c.partitions()
                    : context.defaultParallelism());
        }
        return data;
    }

    private JavaSparkContext context() {
        if (sc == null) {
            scala.Option<org.apache.spark.sql.SparkSession> active = org.apache.spark.sql.SparkSession.getDefaultSession();
            ownsContext = active.isEmpty();
            sc = ownsContext ? SparkContexts.start(master, "sparkprop " + runName, verbose)
                    : JavaSparkContext.fromSparkContext(active.get().sparkContext());
        }
        return sc;
    }

    @Override
    public Engine engine(Network net, TrainingData data, BatchPlan plan) {
        SparkSettings settings = new SparkSettings(cfg.partitions(), cfg.treeDepth(), cfg.storageLevel(),
                cfg.stepProtocol(), cfg.backend(), runName, null, cfg.computePrecision() == Precision.FLOAT32);
        if (cfg.engineKind() == EngineKind.LOCAL) {
            int threads = cfg.threads() > 0 ? cfg.threads() : Runtime.getRuntime().availableProcessors();
            return LocalEngine.on(net, data, plan, () -> cfg.backend().gemm(), threads);
        }
        if (cfg.partitions() > data.trainRows()) {
            // Shipping or placing empty blocks is all such partitions would do, at a cost per partition per step.
            throw new UserError("spark.partitions: " + cfg.partitions() + " is more than the " + data.trainRows()
                    + " training rows");
        }
        SparkEngine e;
        if (data instanceof ExecutorInput distributed) {
            e = new SparkEngine(context(), net, distributed.blocks(), true, plan, settings);
        } else {
            PreparedData d = (PreparedData) data;
            e = new SparkEngine(context(), net, d.train, d.validation, d.test, plan, settings);
        }
        partitions = e.partitions();
        engine = e;
        return e;
    }

    /** train.engine = spark: checkpoint.dir through the Hadoop FileSystem API (file:, hdfs:, s3a:, ...). */
    @Override
    public CheckpointStore checkpointStore(TrainConfig config, Path out) {
        if (config.engineKind() == EngineKind.LOCAL) {
            return RunHooks.super.checkpointStore(config, out);
        }
        Configuration hadoop = sc != null ? sc.hadoopConfiguration() : new Configuration();
        return new HadoopCheckpointStore(HadoopCheckpointStore.resolve(config.checkpointDir(), out), hadoop);
    }

    @Override
    public Map<String, Object> summaryExtras() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (sc != null) {
            m.put("partitions", partitions);
            m.put("spark_master", sc.master());
            m.put("tree_depth", cfg.treeDepth());
            if (engine != null) {
                m.putAll(engine.summary());
            }
        }
        return m;
    }

    @Override
    public void afterRun(Path out, List<EpochRecord> history, boolean classification) {
        Curves.write(out.resolve("curves.png"), history, classification);
    }

    @Override
    public void close() {
        if (sc != null && ownsContext) {
            sc.stop();
        }
        sc = null;
    }
}
