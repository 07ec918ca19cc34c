// The Spark ML params of sparkprop's estimators and models, each mapped onto one key of the CLI's config.
package io.sparkprop.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.StepProtocol;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.optim.OptimizerKind;

/**
 * A Param is identified by its owner's uid and its name, so each getter builds it afresh; Spark finds them by
 * reflection (public, no arguments, returning a Param). A param set explicitly wins over the same key inside
 * {@link #config()}, which wins over the built-in defaults (reference.conf). Values are validated when set
 * (naming the param); the assembled config is validated by the CLI's own {@link TrainConfig}.
 *
 * @param <T> the concrete class, returned by the setters
 */
public interface SparkpropParams<T extends Params> extends Params {
    /** Param name → config key, in the order of the README's param table. */
    Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hiddenLayers", "model.hidden");
        m.put("activation", "model.activation");
        m.put("loss", "model.loss");
        m.put("optimizer", "optimizer.name");
        m.put("learningRate", "optimizer.learning-rate");
        m.put("batchSize", "train.batch-size");
        m.put("epochs", "train.epochs");
        m.put("seed", "train.seed");
        m.put("partitions", "spark.partitions");
        m.put("stepProtocol", "spark.protocol");
        m.put("validationFraction", "data.validation-fraction");
        m.put("earlyStoppingPatience", "train.early-stopping-patience");
        m.put("weightCol", "data.weight-column");
        m.put("classWeights", "train.class-weights");
        return java.util.Collections.unmodifiableMap(m);
    }

    default IntArrayParam hiddenLayers() {
        return new IntArrayParam(this, "hiddenLayers", "hidden layer sizes, input side first; [] = a linear model"
                + " (model.hidden)", new Validators.AllPositive());
    }

    default Param<String> activation() {
        return new Param<>(this, "activation", "hidden-layer activation: " + Activation.names()
                + " (model.activation)", ParamValidators.inArray(Validators.names(Activation.names())));
    }

    default Param<String> loss() {
        return new Param<>(this, "loss", "output layer and loss: " + Loss.names() + " (model.loss)",
                ParamValidators.inArray(Validators.names(Loss.names())));
    }

    default Param<String> optimizer() {
        return new Param<>(this, "optimizer", "update rule: " + OptimizerKind.IDS + " (optimizer.name)",
                ParamValidators.inArray(OptimizerKind.IDS));
    }

    default DoubleParam learningRate() {
        return new DoubleParam(this, "learningRate", "base step size, > 0 (optimizer.learning-rate)",
                ParamValidators.gt(0));
    }

    default IntParam batchSize() {
        return new IntParam(this, "batchSize", "examples per gradient step, >= 1 (train.batch-size)",
                ParamValidators.gtEq(1));
    }

    default IntParam epochs() {
        return new IntParam(this, "epochs", "passes over the training data, >= 1 (train.epochs)",
                ParamValidators.gtEq(1));
    }

    default LongParam seed() {
        return new LongParam(this, "seed", "seed for the validation split, batch order, init and dropout"
                + " (train.seed)");
    }

    default IntParam partitions() {
        return new IntParam(this, "partitions", "partitions of the cached training blocks; 0 = the default"
                + " parallelism (spark.partitions)", ParamValidators.gtEq(0));
    }

    default Param<String> stepProtocol() {
        return new Param<>(this, "stepProtocol", "how steps are synchronised: " + StepProtocol.IDS
                + " (spark.protocol)", ParamValidators.inArray(StepProtocol.IDS));
    }

    default DoubleParam validationFraction() {
        return new DoubleParam(this, "validationFraction", "fraction of the rows held out for validation, in"
                + " [0, 1) (data.validation-fraction)", ParamValidators.inRange(0, 1, true, false));
    }

    /** Spark's GBT convention: no default; not a config key (the CLI's data has no such column). */
    default Param<String> validationIndicatorCol() {
        return new Param<>(this, "validationIndicatorCol", "name of a boolean column: true rows form the validation"
                + " split (instead of validationFraction's random one), false rows train");
    }

    /** MLlib's weightCol (LogisticRegression's, the evaluators'): no default, so no weights unless set. */
    default Param<String> weightCol() {
        return new Param<>(this, "weightCol", "name of a numeric column of row weights (finite, >= 0): a row's loss"
                + " and gradient count w times, a step divides by its batch's total weight, the metrics are"
                + " weighted; unset = every row weighs 1 (data.weight-column)");
    }

    default Param<String> classWeights() {
        return new Param<>(this, "classWeights", "\"balanced\" (n / (classes x n_class) on the training rows) or"
                + " one weight >= 0 per class index, comma-separated; unset = none (train.class-weights)",
                new Validators.ClassWeightsText());
    }

    default IntParam earlyStoppingPatience() {
        return new IntParam(this, "earlyStoppingPatience", "stop after this many epochs without validation"
                + " improvement; 0 = off (train.early-stopping-patience)", ParamValidators.gtEq(0));
    }

    /** Not in {@link #KEYS}: its text is parsed as a list, see {@link #trainConfig(Config, Config)}. */
    default Param<String> layerList() {
        return new Param<>(this, "layerList", "the network layer by layer, the HOCON or JSON list of model.layers"
                + " (e.g. [{type = conv2d, filters = 8, kernel = 3}, {type = flatten}]); \"\" = the dense stack of"
                + " hiddenLayers (model.layers)", new Validators.LayerListText());
    }

    default IntArrayParam inputShape() {
        return new IntArrayParam(this, "inputShape", "[channels, height, width] of each features vector for"
                + " layerList; [] = flat (model.input-shape)", new Validators.AllPositive());
    }

    /** Not a config key: slots of the features vector (data.categorical-columns names a file's columns). */
    default IntArrayParam categoricalSlots() {
        return new IntArrayParam(this, "categoricalSlots", "indices in the features vector holding category codes"
                + " for a first embedding layer, with categoricalCardinalities; unset = the features column's"
                + " nominal attributes (StringIndexer + VectorAssembler)", new Validators.AllNonNegative());
    }

    default IntArrayParam categoricalCardinalities() {
        return new IntArrayParam(this, "categoricalCardinalities", "known categories of each categoricalSlots"
                + " entry; code k (StringIndexer's handleInvalid = keep index) is the unseen-category row",
                new Validators.AllPositive());
    }

    default Param<String> config() {
        return new Param<>(this, "config", "HOCON text with any other key of the CLI's config (e.g."
                + " \"schedule.name = cosine\"); validated as the CLI validates it");
    }

    default int[] getHiddenLayers() { return (int[]) getOrDefault(hiddenLayers()); }
    default String getActivation() { return getOrDefault(activation()); }
    default String getLoss() { return getOrDefault(loss()); }
    default String getOptimizer() { return getOrDefault(optimizer()); }
    default double getLearningRate() { return (Double) getOrDefault(learningRate()); }
    default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }
    default int getEpochs() { return (Integer) getOrDefault(epochs()); }
    default long getSeed() { return (Long) getOrDefault(seed()); }
    default int getPartitions() { return (Integer) getOrDefault(partitions()); }
    default String getStepProtocol() { return getOrDefault(stepProtocol()); }
    default double getValidationFraction() { return (Double) getOrDefault(validationFraction()); }
    default int getEarlyStoppingPatience() { return (Integer) getOrDefault(earlyStoppingPatience()); }
    default String getConfig() { return getOrDefault(config()); }
    default String getLayerList() { return getOrDefault(layerList()); }
    default int[] getInputShape() { return (int[]) getOrDefault(inputShape()); }
    default String getValidationIndicatorCol() { return getOrDefault(validationIndicatorCol()); }
    default String getWeightCol() { return getOrDefault(weightCol()); }
    default String getClassWeights() { return getOrDefault(classWeights()); }
    default int[] getCategoricalSlots() { return (int[]) getOrDefault(categoricalSlots()); }
    default int[] getCategoricalCardinalities() { return (int[]) getOrDefault(categoricalCardinalities()); }
    /** The indicator column's name, or null when the param is not set. */
    default String validationColumnOrNull() {
        return isDefined(validationIndicatorCol()) ? getValidationIndicatorCol() : null;
    }

    @SuppressWarnings("unchecked")
    private T with(Param<?> p, Object value) {
        return (T) set(p.name(), value);
    }

    default T setHiddenLayers(int... sizes) { return with(hiddenLayers(), sizes); }
    default T setActivation(String v) { return with(activation(), v); }
    default T setLoss(String v) { return with(loss(), v); }
    default T setOptimizer(String v) { return with(optimizer(), v); }
    default T setLearningRate(double v) { return with(learningRate(), v); }
    default T setBatchSize(int v) { return with(batchSize(), v); }
    default T setEpochs(int v) { return with(epochs(), v); }
    default T setSeed(long v) { return with(seed(), v); }
    default T setPartitions(int v) { return with(partitions(), v); }
    default T setStepProtocol(String v) { return with(stepProtocol(), v); }
    default T setValidationFraction(double v) { return with(validationFraction(), v); }
    default T setEarlyStoppingPatience(int v) { return with(earlyStoppingPatience(), v); }
    default T setConfig(String hocon) { return with(config(), hocon); }
    default T setLayerList(String hoconList) { return with(layerList(), hoconList); }
    default T setInputShape(int... channelsHeightWidth) { return with(inputShape(), channelsHeightWidth); }
    default T setValidationIndicatorCol(String column) { return with(validationIndicatorCol(), column); }
    default T setWeightCol(String column) { return with(weightCol(), column); }
    default T setClassWeights(String balancedOrList) { return with(classWeights(), balancedOrList); }
    default T setCategoricalSlots(int... slots) { return with(categoricalSlots(), slots); }
    default T setCategoricalCardinalities(int... k) { return with(categoricalCardinalities(), k); }
    /** One weight per class index, as the comma-separated text {@link #classWeights()} holds. */
    default T setClassWeights(double... perClass) {
        return with(classWeights(), Arrays.stream(perClass).mapToObj(Double::toString)
                .collect(java.util.stream.Collectors.joining(",")));
    }

    /** Defaults = the built-in config's values over {@code base} (e.g. model.loss = mse for the regressor). */
    default void setSparkpropDefaults(Config base) {
        TrainConfig d = TrainConfig.from(base);
        setDefault(hiddenLayers(), d.hidden());
        setDefault(activation(), d.activation().configName);
        setDefault(loss(), d.loss().configName);
        setDefault(optimizer(), d.optimizer().id());
        setDefault(learningRate(), d.learningRate());
        setDefault(batchSize(), d.batchSize());
        setDefault(epochs(), d.epochs());
        setDefault(seed(), d.seed());
        setDefault(partitions(), d.partitions());
        setDefault(stepProtocol(), d.stepProtocol().id());
        setDefault(validationFraction(), d.validationFraction());
        setDefault(earlyStoppingPatience(), d.earlyStoppingPatience());
        setDefault(config(), "");
        setDefault(layerList(), "");
        setDefault(inputShape(), d.inputShape() == null ? new int[0] : new int[] {d.inputShape().channels(),
            d.inputShape().height(), d.inputShape().width()});
    }

    /**
     * Sets each param of {@link #KEYS} to its key in {@code modelConfig} (the HOCON a CLI run saved with its model),
     * so that the getters of a model made from a CLI model folder tell what it was trained with (a layer list as
     * JSON text in layerList, and inputShape); a config this version cannot read leaves the params as they are.
     */
    default void setFromModelConfig(String modelConfig) {
        TrainConfig c;
        try {
            c = TrainConfig.from(ConfigFactory.parseString(modelConfig));
        } catch (RuntimeException e) {
            return;
        }
        with(hiddenLayers(), c.hidden());
        with(activation(), c.activation().configName);
        with(loss(), c.loss().configName);
        with(optimizer(), c.optimizer().id());
        with(learningRate(), c.learningRate());
        with(batchSize(), c.batchSize());
        with(epochs(), c.epochs());
        with(seed(), c.seed());
        with(partitions(), c.partitions());
        with(stepProtocol(), c.stepProtocol().id());
        with(validationFraction(), c.validationFraction());
        with(earlyStoppingPatience(), c.earlyStoppingPatience());
        if (!c.layers().isEmpty()) {
            with(layerList(), ConfigValueFactory.fromIterable(io.sparkprop.trainer.config.LayerList.toMaps(c.layers()))
                    .render(com.typesafe.config.ConfigRenderOptions.concise().setJson(true)));
        }
        if (c.inputShape() != null) {
            with(inputShape(), new int[] {c.inputShape().channels(), c.inputShape().height(), c.inputShape().width()});
        }
    }

    /**
     * The run's config: explicitly set params over {@link #config()} over {@code base} over reference.conf, with
     * the Spark engine forced. Throws IllegalArgumentException naming the param or the config key.
     */
    default TrainConfig trainConfig(Config base) {
        return trainConfig(base, ConfigFactory.empty());
    }

    /** As {@link #trainConfig(Config)}, with {@code mapped} (keys set by other names) just below the set params. */
    default TrainConfig trainConfig(Config base, Config mapped) {
        Config explicit = ConfigFactory.empty();
        for (Map.Entry<String, String> k : KEYS.entrySet()) {
            Param<Object> p = getParam(k.getKey());
            if (isSet(p)) {
                Object v = getOrDefault(p);
                if (v instanceof int[] a) v = Arrays.stream(a).boxed().toList();
                explicit = explicit.withValue(k.getValue(), ConfigValueFactory.fromAnyRef(v, "param " + k.getKey()));
            }
        }
        if (isSet(layerList())) {
            explicit = explicit.withValue("model.layers", Validators.LayerListText.parse(getLayerList()));
        }
        if (isSet(inputShape())) {
            explicit = explicit.withValue("model.input-shape", ConfigValueFactory.fromIterable(
                    Arrays.stream(getInputShape()).boxed().toList(), "param inputShape"));
        }
        return FrameFit.config(getConfig(), explicit.withFallback(mapped), base, uid() + " parameter config");
    }

    /**
     * Where Spark ML's conventions differ from the CLI's: an Estimator trains on every row it is given unless
     * validationFraction (or validationIndicatorCol) asks for a validation split, as MLlib's estimators do.
     */
    Map<String, Object> SPARK_ML = Map.of("data.validation-fraction", 0.0);

    /** The defaults of one estimator kind: reference.conf with {@link #SPARK_ML} and {@code overrides}. */
    static Config base(Map<String, Object> overrides) {
        return ConfigFactory.parseMap(overrides, "estimator defaults")
                .withFallback(ConfigFactory.parseMap(SPARK_ML, "Spark ML defaults"))
                .withFallback(ConfigLoader.reference());
    }
}
