// The one way to a Spark engine: settings from the config, partitions and spark.protocol resolved once, then the
// engine over the run's data. The CLI's train and sweep, the Spark ML fit and the bench all come through here.
package io.sparkprop.spark.engine;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.data.DistributedData;
import io.sparkprop.spark.data.ExecutorInput;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.TrainingData;

/**
 * {@link #resolve} comes first, before any data is read: it fixes the partition count the data is to be read
 * into and refuses a barrier protocol that cannot run (one clear line, before a data load or an output
 * directory). Every engine this factory then builds uses that one resolution; a cluster's executors are awaited
 * once, not once per check.
 */
public final class EngineFactory {
    private final JavaSparkContext sc;
    private final SparkSettings settings;
    private final int partitions;
    private final ProtocolChoice choice;

    private EngineFactory(JavaSparkContext sc, SparkSettings settings, int partitions, ProtocolChoice choice) {
        this.sc = sc;
        this.settings = settings;
        this.partitions = partitions;
        this.choice = choice;
    }

    /** spark.partitions (0 = the context's default parallelism) and spark.protocol resolved on {@code sc}. */
    public static EngineFactory resolve(JavaSparkContext sc, SparkSettings settings) {
        int p = settings.partitions() > 0 ? settings.partitions() : sc.defaultParallelism();
        return new EngineFactory(sc, settings, p, ProtocolChoice.resolve(sc, settings.protocol(), p));
    }

    /** The same for the settings {@code cfg} gives a run named {@code runName}. */
    public static EngineFactory resolve(JavaSparkContext sc, TrainConfig cfg, String runName) {
        return resolve(sc, SparkSettings.of(cfg, runName));
    }

    /** The partition count: the data is read or shipped into this many blocks. */
    public int partitions() {
        return partitions;
    }

    /** The context the engines run on (and the run's data is read with). */
    public JavaSparkContext context() {
        return sc;
    }

    public SparkSettings settings() {
        return settings;
    }

    /**
     * An engine over the data a run prepared: blocks the executors read ({@link ExecutorInput}, into
     * {@link #partitions()} partitions) or splits on the driver ({@link PreparedData}), shipped now. Either way
     * the engine owns them and drops them when it closes.
     */
    public SparkEngine create(Network net, TrainingData data, BatchPlan plan) {
        if (settings.partitions() > data.trainRows()) {
            // Shipping or placing empty blocks is all such partitions would do, at a cost per partition per step.
            throw new UserError("spark.partitions: " + settings.partitions() + " is more than the "
                    + data.trainRows() + " training rows");
        }
        if (data instanceof ExecutorInput read) {
            return create(net, read.blocks(), true, plan);
        }
        PreparedData d = (PreparedData) data;
        return create(net, d.train, d.validation, d.test, plan);
    }

    /**
     * An engine over splits held on the driver (validation and test may be null), shipped now and owned; under a
     * chunked plan as one block per chunk and partition, which the engine cuts into chunk blocks.
     */
    public SparkEngine create(Network net, Dataset train, Dataset validation, Dataset test, BatchPlan plan) {
        return create(net, DistributedData.of(sc, train, validation, test, partitions, settings.storageLevel(),
                settings.runName(), plan.chunked() ? plan.chunkRows : 0), true, plan);
    }

    /** An engine over blocks shared with other engines (a sweep's trials, a benchmark): closing it keeps them. */
    public SparkEngine create(Network net, DistributedData shared, BatchPlan plan) {
        return create(net, shared, false, plan);
    }

    /** Splits held on the driver placed into {@link #partitions()} cached blocks at spark.storage-level. */
    public DistributedData ship(Dataset train, Dataset validation, Dataset test) {
        return DistributedData.of(sc, train, validation, test, partitions, settings.storageLevel(),
                settings.runName());
    }

    private SparkEngine create(Network net, DistributedData data, boolean owns, BatchPlan plan) {
        if (data.partitions() != partitions) {
            throw new IllegalArgumentException("data in " + data.partitions() + " partitions for an engine resolved"
                    + " for " + partitions);
        }
        try {
            return new SparkEngine(sc, net, data, owns, plan, settings, choice);
        } catch (RuntimeException e) {
            if (owns) data.close();
            throw e;
        }
    }
}
