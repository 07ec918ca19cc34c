// The validated, typed view of a run's configuration: every key of reference.conf as a Java value.
// Built once by from(Config); any bad key or value fails there, before data is read or Spark is started (the data
// keys through DataKeys, values that cannot go together through KeyConflicts).
package io.sparkprop.trainer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.OnBadRow;
import io.sparkprop.trainer.data.Scaling;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Output;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.ScheduleKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable; an accessor is named after its key in camel case, usually without the section
 * ({@code optimizer.learning-rate} → {@link #learningRate()}, {@code data.train} → {@link #dataTrain()}), except
 * {@code optimizer.name} → {@link #optimizer()}, {@code schedule.name} → {@link #schedule()}, {@code train.name}
 * → {@link #runName()}, {@code train.engine} → {@link #engineKind()}, {@code spark.protocol} →
 * {@link #stepProtocol()}, {@code checkpoint.every-epochs} → {@link #checkpointEvery()} and
 * {@code compute.precision} → {@link #computePrecision()}. Every choice key is parsed here, once, to the enum
 * whose constants are its values (their spellings are the allowed values and the error's list); the rest of the
 * code compares constants, never strings.
 */
public final class TrainConfig {
    private static final double INF = Double.POSITIVE_INFINITY;

    private final Config config;
    // data (and train.class-weights)
    private final DataKeys data;
    private final String labelColumn;
    // model
    private final int[] hidden;
    private final Activation activation;
    private final Loss loss;
    private final Output output;
    private final Init init;
    private final String initFile;
    private final double dropout;
    private final List<io.sparkprop.trainer.nn.LayerSpec> layers;
    private final io.sparkprop.trainer.nn.Shape inputShape;
    // optimizer
    private final OptimizerKind optimizer;
    private final double learningRate, momentum, weightDecay, clipNorm, tolerance;
    private final int historySize;
    // schedule
    private final ScheduleKind schedule;
    private final int warmupEpochs, stepEpochs;
    private final double gamma, minLearningRate;
    // train
    private final String runName;
    private final EngineKind engine;
    private final int epochs, batchSize, earlyStoppingPatience, threads, chunkRows;
    private final ShuffleKind shuffle;
    private final long seed;
    // eval, spark, checkpoint, compute
    private final int folds, partitions, treeDepth, checkpointEvery;
    private final String checkpointDir;
    private final StorageChoice storageLevel;
    private final Backend backend;
    private final StepProtocol protocol;
    private final Precision precision;

    private TrainConfig(Config c, ConfigReader r) {
        config = c;
        data = DataKeys.read(r);
        labelColumn = data.labelColumn();

        hidden = r.intList("model.hidden");
        for (int h : hidden) {
            if (h < 1) {
                throw new UserError("model.hidden: every layer needs at least 1 unit, got " + h);
            }
        }
        activation = r.choice("model.activation", Activation.values(), a -> a.configName);
        loss = r.choice("model.loss", Loss.values(), l -> l.configName);
        output = r.choice("model.output", Output.values(), o -> o.configName, loss.output(), "");
        String whyNot = loss.whyNot(output);
        if (whyNot != null) {
            throw new UserError("model.output: " + whyNot);
        }
        if (multiTarget() && loss.oneClassColumn()) {
            throw new UserError("data.label-column: " + loss.whyNotSeveralTargets());
        }
        String initText = r.string("model.init").trim();
        boolean fromFile = initText.regionMatches(true, 0, "file:", 0, 5);
        initFile = fromFile ? initText.substring(5).trim() : "";
        if (fromFile && initFile.isEmpty()) {
            throw new UserError("model.init: file: needs a path (a saved model directory or a JSON weights file)");
        }
        // auto is the activation's draw; file:PATH replaces that draw
        init = fromFile ? activation.defaultInit() : r.choice("model.init", Init.values(), i -> i.configName,
                activation.defaultInit(), " or \"file:PATH\"");
        dropout = r.doubleIn("model.dropout", 0, false, 1, true);
        layers = LayerList.read(r, activation);
        inputShape = LayerList.inputShape(r);
        LayerList.check(layers, inputShape, hidden, dropout);
        CategoricalColumns.check(data.categoricalColumns(), layers);

        optimizer = r.choice("optimizer.name", OptimizerKind.values());
        learningRate = r.doubleIn("optimizer.learning-rate", 0, true, INF, false);
        momentum = r.doubleIn("optimizer.momentum", 0, false, 1, true);
        weightDecay = r.doubleIn("optimizer.weight-decay", 0, false, INF, false);
        clipNorm = r.doubleIn("optimizer.clip-norm", 0, false, INF, false);
        historySize = r.intAtLeast("optimizer.history-size", 1);
        tolerance = r.doubleIn("optimizer.tolerance", 0, false, INF, false);

        schedule = r.choice("schedule.name", ScheduleKind.values());
        warmupEpochs = r.intAtLeast("schedule.warmup-epochs", 0);
        gamma = r.doubleIn("schedule.gamma", 0, true, 1, false);
        stepEpochs = r.intAtLeast("schedule.step-epochs", 1);
        minLearningRate = r.doubleIn("schedule.min-learning-rate", 0, false, INF, false);
        if (minLearningRate > learningRate) {
            // A floor above the base rate would make every decaying schedule increase the rate instead.
            throw new UserError("schedule.min-learning-rate: must be <= optimizer.learning-rate (" + learningRate
                    + "), got " + minLearningRate);
        }

        runName = r.string("train.name").trim();
        engine = r.choice("train.engine", EngineKind.values());
        epochs = r.intAtLeast("train.epochs", 1);
        batchSize = r.intAtLeast("train.batch-size", 1);
        seed = r.longValue("train.seed");
        earlyStoppingPatience = r.intAtLeast("train.early-stopping-patience", 0);
        threads = r.intAtLeast("train.threads", 0);
        shuffle = r.choice("train.shuffle", ShuffleKind.values());
        chunkRows = r.intAtLeast("train.chunk-rows", 1);

        folds = r.intAtLeast("eval.folds", 1);
        partitions = r.intAtLeast("spark.partitions", 0);
        treeDepth = r.intAtLeast("spark.tree-depth", 1);
        storageLevel = r.choice("spark.storage-level", StorageChoice.values());
        StepProtocol p = r.choice("spark.protocol", StepProtocol.values());
        if (lbfgs()) {
            KeyConflicts.lbfgs(layers, dropout, schedule, warmupEpochs, clipNorm, p);
            p = StepProtocol.DRIVER; // auto: a line search's evaluations are driver-side jobs
        }
        protocol = p;
        checkpointDir = r.string("checkpoint.dir").trim();
        KeyConflicts.engine(engine, checkpointDir, data.format(), folds);
        checkpointEvery = r.intAtLeast("checkpoint.every-epochs", 0);
        backend = r.choice("compute.backend", Backend.values());
        precision = r.choice("compute.precision", Precision.values());
    }

    /**
     * Validates {@code c} (missing keys fall back to reference.conf, so a partial config such as one parsed from
     * a test string works) and returns the typed view. Throws {@link UserError} naming the first bad key.
     */
    public static TrainConfig from(Config c) {
        Config full;
        try {
            full = c.withFallback(ConfigLoader.reference()).resolve();
        } catch (ConfigException e) {
            throw ConfigReader.fromTypesafe(e);
        }
        UnknownKeys.checkKeys(full.root(), ConfigLoader.knownKeys());
        try {
            return new TrainConfig(full, new ConfigReader(full));
        } catch (ConfigException e) {
            throw ConfigReader.fromTypesafe(e); // defensive: typesafe getters should not be reached unchecked
        }
    }

    /** reference.conf alone. */
    public static TrainConfig defaults() {
        return from(ConfigLoader.reference());
    }

    /** The resolved config (reference defaults included), for {@link ConfigText#render} and hashing. */
    public Config config() { return config; }

    // data (read and checked by DataKeys, which documents each value)
    public String dataTrain() { return data.train(); }
    /** Empty = no test set. */
    public String dataTest() { return data.test(); }
    public boolean hasTest() { return !data.test().isEmpty(); }
    public DataFormat format() { return data.format(); }
    /**
     * Empty = the last column; otherwise a header name or a 0-based index, as written; several targets are
     * joined by commas here ({@link #labelColumns} keeps them apart).
     */
    public String labelColumn() { return labelColumn; }
    /** The target columns as written: one entry (possibly "" = last column), or several. */
    public List<String> labelColumns() { return data.labelColumns(); }
    /** More than one target column. */
    public boolean multiTarget() { return data.labelColumns().size() > 1; }
    public double validationFraction() { return data.validationFraction(); }
    public Scaling scale() { return data.scale(); }
    /** 0 = infer. */
    public int numFeatures() { return data.numFeatures(); }
    public OnBadRow onBadRow() { return data.onBadRow(); }
    /** Parquet/DataFrame input: one vector column or numeric columns; empty = "features", else all but the label. */
    public List<String> featureColumns() { return data.featureColumns(); }
    /** data.weight-column: the column of per-row weights; "" = none. */
    public String weightColumn() { return data.weightColumn(); }

    /** data.categorical-columns: columns of integer category codes, looked up by a first embedding layer. */
    public List<CategoricalColumns.Column> categoricalColumns() { return data.categoricalColumns(); }
    /** train.class-weights. */
    public ClassWeights classWeights() { return data.classWeights(); }

    // model
    /** Hidden layer sizes (a copy); empty = a linear model. */
    public int[] hidden() { return hidden.clone(); }
    public Activation activation() { return activation; }
    public Loss loss() { return loss; }
    /** model.output with auto resolved to the loss's usual unit. */
    public Output output() { return output; }
    /**
     * Targets are class labels (one-hot for several output units; arg-max predictions): always for the
     * cross-entropies, and for mse with sigmoid or softmax outputs on one label column (the from-scratch
     * tutorial's quadratic cost). mse with identity outputs, or with several target columns, is regression.
     */
    public boolean classification() {
        return loss.isClassification() || (output != Output.IDENTITY && !multiTarget());
    }
    /**
     * With model.init = auto already resolved to {@link Activation#defaultInit()} (he for relu/leaky-relu, xavier
     * otherwise). With file:PATH, the draw that {@link #initFile()} replaces.
     */
    public Init init() { return init; }
    /** The PATH of model.init = "file:PATH", or empty. */
    public String initFile() { return initFile; }
    public double dropout() { return dropout; }
    /** model.layers; empty = the dense stack of {@link #hidden}. */
    public List<io.sparkprop.trainer.nn.LayerSpec> layers() { return layers; }
    /** model.input-shape, or null (flat feature vectors). */
    public io.sparkprop.trainer.nn.Shape inputShape() { return inputShape; }

    // optimizer
    public OptimizerKind optimizer() { return optimizer; }
    public double learningRate() { return learningRate; }
    public double momentum() { return momentum; }
    public double weightDecay() { return weightDecay; }
    /** 0 = off. */
    public double clipNorm() { return clipNorm; }
    public int historySize() { return historySize; }
    public double tolerance() { return tolerance; }
    /** optimizer.name = lbfgs: full-batch L-BFGS instead of per-step updates. */
    public boolean lbfgs() { return optimizer == OptimizerKind.LBFGS; }

    // schedule
    public ScheduleKind schedule() { return schedule; }
    public int warmupEpochs() { return warmupEpochs; }
    public double gamma() { return gamma; }
    public int stepEpochs() { return stepEpochs; }
    public double minLearningRate() { return minLearningRate; }

    // train
    /** train.name as written; empty = derive it, see {@link #runName(Path)}. */
    public String runName() { return runName; }
    /** train.engine (named apart from the string it once was, so a leftover string comparison cannot compile). */
    public EngineKind engineKind() { return engine; }
    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public long seed() { return seed; }
    /** 0 = off. */
    public int earlyStoppingPatience() { return earlyStoppingPatience; }
    /** 0 = all cores. */
    public int threads() { return threads; }
    /** train.shuffle: the batch plan's order of rows. */
    public ShuffleKind shuffle() { return shuffle; }
    /** train.chunk-rows: rows per chunk when {@link #shuffle()} is chunked. */
    public int chunkRows() { return chunkRows; }

    /** train.name, else the config file's name without extension, else "run". */
    public String runName(Path configFileOrNull) {
        if (!runName.isEmpty()) {
            return runName;
        }
        if (configFileOrNull == null || configFileOrNull.getFileName() == null) {
            return "run";
        }
        String f = configFileOrNull.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    // eval, spark, checkpoint, compute
    /** 1 = one train/validation split; k > 1 = k-fold cross-validation. */
    public int folds() { return folds; }
    /** 0 = Spark's default parallelism. */
    public int partitions() { return partitions; }
    public int treeDepth() { return treeDepth; }
    public StorageChoice storageLevel() { return storageLevel; }
    public StepProtocol stepProtocol() { return protocol; }
    /** checkpoint.dir as written; empty = OUT/checkpoints, see {@link #checkpointDir(Path)}. */
    public String checkpointDir() { return checkpointDir; }
    public Path checkpointDir(Path out) {
        if (checkpointDir.isEmpty()) {
            return out.resolve("checkpoints");
        }
        if (checkpointDir.startsWith("file:")) {
            return Path.of(java.net.URI.create(checkpointDir));
        }
        return Path.of(checkpointDir);
    }
    /** 0 = no checkpoints. */
    public int checkpointEvery() { return checkpointEvery; }
    public Backend backend() { return backend; }
    /**
     * compute.precision: how the prepared features are stored and forward/backward computed (θ and the optimizer
     * stay float64; see {@link Precision#FLOAT32}).
     */
    public Precision computePrecision() { return precision; }

    @Override
    public String toString() {
        return "TrainConfig" + Arrays.toString(hidden) + " " + optimizer + " lr=" + learningRate + " epochs=" + epochs;
    }
}
