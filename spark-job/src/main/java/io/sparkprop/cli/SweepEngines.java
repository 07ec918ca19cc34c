// The engine of each sweep trial: a local engine with its share of the cores, or Spark in a FAIR pool of its own.
package io.sparkprop.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.spark.engine.SparkEngine;
import io.sparkprop.spark.engine.SparkSettings;
import io.sparkprop.trainer.config.EngineKind;
import io.sparkprop.trainer.config.StepProtocol;
import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.sweep.SweepRunner;
import io.sparkprop.trainer.sweep.Trial;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;
import io.sparkprop.trainer.train.LocalEngine;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.TrainingData;
import io.sparkprop.trainer.train.RunHooks;

/**
 * All Spark trials share one context. With parallelism k > 1 it runs the FAIR scheduler, and each trial thread
 * submits its jobs in pool "sweep-&lt;slot&gt;" under job group "trial-&lt;id&gt;", so k small trials get equal
 * shares of the executors and one trial's jobs can be found (and cancelled) in the UI. Local trials with
 * train.threads = 0 get cores / k threads each instead of all cores, which k of them would oversubscribe.
 */
final class SweepEngines implements SweepRunner.Engines, AutoCloseable {
    private final String master;
    private final String sweepName;
    private final int parallelism;
    private final boolean verbose;
    private JavaSparkContext sc;
    private final Map<DataKey, DistributedData> distributed = new HashMap<>();

    SweepEngines(String master, String sweepName, int parallelism, boolean verbose) {
        this.master = master;
        this.sweepName = sweepName;
        this.parallelism = parallelism;
        this.verbose = verbose;
    }

    @Override
    public RunHooks forTrial(Trial trial, int slot) {
        TrainConfig cfg = trial.run();
        if (cfg.engineKind() == EngineKind.LOCAL) {
            int cores = Runtime.getRuntime().availableProcessors();
            int threads = cfg.threads() > 0 ? cfg.threads() : Math.max(1, cores / parallelism);
            return (net, data, plan) -> LocalEngine.on(net, data, plan, () -> cfg.backend().gemm(), threads);
        }
        JavaSparkContext ctx = context();
        // Local properties are per thread: this is the thread that will submit the trial's jobs.
        ctx.setLocalProperty("spark.scheduler.pool", "sweep-" + slot);
        ctx.setJobGroup("trial-" + trial.id(), "sparkprop sweep " + sweepName + " trial " + trial.id(), true);
        EngineFactory spark = EngineFactory.resolve(ctx, SparkSettings.of(cfg, "trial " + trial.id())
                .withProtocol(sweepProtocol(cfg.stepProtocol())));
        return new RunHooks() {
            private SparkEngine engine;

            @Override
            public Engine engine(Network net, TrainingData data, BatchPlan plan) {
                engine = spark.create(net, shared(spark, (PreparedData) data), plan);
                return engine;
            }

            @Override
            public Map<String, Object> summaryExtras() {
                Map<String, Object> m = new LinkedHashMap<>(engine != null ? engine.summary() : Map.of());
                m.put("scheduler_pool", "sweep-" + slot);
                return m;
            }
        };
    }

    /**
     * Trials side by side share the task slots, and a barrier epoch waits until all of its slots are free at once:
     * "auto" then means one job per step, which interleaves with the other trials. An explicit choice stands.
     */
    private StepProtocol sweepProtocol(StepProtocol configured) {
        return parallelism > 1 && configured == StepProtocol.AUTO ? StepProtocol.DRIVER : configured;
    }

    /**
     * One cached copy of each dataset per partition count, shared by all trials (a CV fold or another split is
     * another PreparedData, hence another copy); dropped when the sweep ends.
     */
    private synchronized DistributedData shared(EngineFactory spark, PreparedData d) {
        int partitions = spark.partitions();
        StorageChoice level = spark.settings().storageLevel();
        return distributed.computeIfAbsent(new DataKey(d, partitions, level),
                k -> DistributedData.of(sc, d.train, d.validation, d.test, partitions, level, "sweep " + sweepName));
    }

    /** Identity of the driver-side data (not equality: two loads are two datasets) and its placement. */
    private record DataKey(PreparedData data, int partitions, StorageChoice level) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DataKey k && k.data == data && k.partitions == partitions && k.level == level;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(data) * 31 + partitions * 7 + level.hashCode();
        }
    }

    private synchronized JavaSparkContext context() {
        if (sc == null) {
            Map<String, String> settings = parallelism > 1 ? Map.of("spark.scheduler.mode", "FAIR") : Map.of();
            sc = SparkContexts.start(master, "sparkprop sweep " + sweepName, verbose, settings);
        }
        return sc;
    }

    @Override
    public synchronized void close() {
        distributed.values().forEach(DistributedData::close);
        distributed.clear();
        if (sc != null) {
            sc.stop();
            sc = null;
        }
    }
}
