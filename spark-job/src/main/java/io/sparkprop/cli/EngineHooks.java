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
import io.sparkprop.spark.SparkData;
import io.sparkprop.spark.SparkEngine;
import io.sparkprop.spark.SparkSettings;
import io.sparkprop.trainer.config.EngineKind;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.kernel.Kernels;
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
    private int partitions;
    private String protocol;

    EngineHooks(TrainConfig cfg, String master, String runName, boolean verbose) {
        this.cfg = cfg;
        this.master = master;
        this.runName = runName;
        this.verbose = verbose;
    }

    /** CSV and LIBSVM training data for the Spark engine is parsed by the executors, never loaded here. */
    @Override
    public TrainingData prepare(TrainConfig c, PrintStream log) {
        if (c.engineKind() == EngineKind.SPARK && SparkData.applies(c)) {
            // Local files are checked here, so a typo costs seconds, not a Spark start-up.
            LocalInputs.requireReadable("data.train", c.dataTrain());
            if (c.hasTest()) {
                LocalInputs.requireReadable("data.test", c.dataTest());
            }
            JavaSparkContext context = context();
            int p = c.partitions() > 0 ? c.partitions() : context.defaultParallelism();
            SparkEngine.checkProtocol(context, c.protocol(), p);
            return SparkData.read(context, c, p, log);
        }
        TrainingData data = RunHooks.super.prepare(c, log);
        if (c.engineKind() == EngineKind.SPARK) {
            JavaSparkContext context = context();
            SparkEngine.checkProtocol(context, c.protocol(), c.partitions() > 0 ? c.partitions()
                    : context.defaultParallelism());
        }
        return data;
    }

    private JavaSparkContext context() {
        if (sc == null) {
            sc = SparkContexts.start(master, "sparkprop " + runName, verbose);
        }
        return sc;
    }

    @Override
    public Engine engine(Network net, TrainingData data, BatchPlan plan) {
        SparkSettings settings = new SparkSettings(cfg.partitions(), cfg.treeDepth(), cfg.storageLevel(),
                cfg.protocol(), cfg.backend(), runName, null);
        if (cfg.engineKind() == EngineKind.LOCAL) {
            int threads = cfg.threads() > 0 ? cfg.threads() : Runtime.getRuntime().availableProcessors();
            return LocalEngine.on(net, data, plan, () -> Kernels.create(cfg.backend()), threads);
        }
        SparkEngine e;
        if (data instanceof SparkData distributed) {
            e = new SparkEngine(context(), net, distributed.blocks(), true, plan, settings);
        } else {
            PreparedData d = (PreparedData) data;
            e = new SparkEngine(context(), net, d.train, d.validation, d.test, plan, settings);
        }
        partitions = e.partitions();
        protocol = e.protocol();
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
            m.put("spark_protocol", protocol);
        }
        return m;
    }

    @Override
    public void afterRun(Path out, List<EpochRecord> history, boolean classification) {
        Curves.write(out.resolve("curves.png"), history, classification);
    }

    @Override
    public void close() {
        if (sc != null) {
            sc.stop();
            sc = null;
        }
    }
}
