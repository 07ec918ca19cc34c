// MLlib's MultilayerPerceptronClassifier params on our classifier, with MLlib's meaning, mapped onto config keys.
package io.sparkprop.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.optim.OptimizerKind;

/**
 * <pre>
 *   layers          [in, hidden…, out] → model.hidden = hidden…; in and out are checked against the data
 *   maxIter         → train.epochs (epochs for gd and our optimizers, iterations for l-bfgs)
 *   stepSize        → optimizer.learning-rate
 *   tol             → optimizer.tolerance (l-bfgs)
 *   solver          l-bfgs → optimizer.name = lbfgs; gd → sgd on the full batch; or any optimizer.name
 *   blockSize       accepted (≥ 1) and not used: each partition's rows form one cached block already
 *   initialWeights  a Vector in MLlib's order → model.init (and data.scale = none: MLlib's weights see raw features)
 *   seed            is our own seed param (train.seed), the same name
 * </pre>
 * When only these names are set (none of hiddenLayers, epochs, learningRate, optimizer, batchSize), the keys they
 * leave unset take MLlib's defaults ({@link #MLLIB_DEFAULTS}); setting both spellings of one thing to different
 * values is an error naming both. MLlib's weight order equals ours: per layer W (out × in) column-major, then b.
 * The getters of the params the mode decides (ours and MLlib's twins) report what a fit would use: the set value,
 * else its twin's, else {@link #config()}'s key, else the mode's default (so with only MLlib's names set,
 * getActivation() is sigmoid and getEpochs() is maxIter). While the params contradict each other (a fit fails
 * naming them) they report the params' own values.
 *
 * @param <T> the concrete class, returned by the setters
 */
public interface MllibParams<T extends Params> extends SparkpropParams<T> {
    /** MLlib's defaults where they differ from ours: its solver, step size, iterations and sigmoid hidden units. */
    Map<String, Object> MLLIB_DEFAULTS = Map.of("optimizer.name", OptimizerKind.LBFGS.id(), "optimizer.learning-rate", 0.03,
            "train.epochs", 100, "optimizer.tolerance", 1e-6, "model.activation", "sigmoid");

    /** MLlib's solver names, then ours. */
    List<String> SOLVERS = java.util.stream.Stream.concat(java.util.stream.Stream.of("l-bfgs", "gd"),
            OptimizerKind.IDS.stream()).toList();

    /** Our param → MLlib's spelling of the same thing. */
    Map<String, String> TWINS = Map.of("hiddenLayers", "layers", "epochs", "maxIter", "learningRate", "stepSize",
            "optimizer", "solver");

    default IntArrayParam layers() {
        return new IntArrayParam(this, "layers", "MLlib's layer sizes from input to output, e.g. [4, 5, 3]: the"
                + " hidden ones become model.hidden, the first and last must equal the data's features and classes",
                new Validators.MllibLayers());
    }

    default IntParam maxIter() {
        return new IntParam(this, "maxIter", "MLlib's maximum iterations, >= 1: epochs for gd and our optimizers,"
                + " iterations for l-bfgs (train.epochs)", ParamValidators.gtEq(1));
    }

    default DoubleParam stepSize() {
        return new DoubleParam(this, "stepSize", "MLlib's step size, > 0 (optimizer.learning-rate)",
                ParamValidators.gt(0));
    }

    default DoubleParam tol() {
        return new DoubleParam(this, "tol", "l-bfgs's convergence tolerance, >= 0 (optimizer.tolerance)",
                ParamValidators.gtEq(0));
    }

    default Param<String> solver() {
        return new Param<>(this, "solver", "MLlib's solver: l-bfgs (optimizer.name = lbfgs) or gd (sgd on the full"
                + " batch), or any optimizer.name " + OptimizerKind.IDS, ParamValidators.inArray(SOLVERS));
    }

    default IntParam blockSize() {
        return new IntParam(this, "blockSize", "MLlib's rows stacked per matrix, >= 1; accepted and not used (each"
                + " partition's rows are one cached block; train.batch-size cuts the batches)",
                ParamValidators.gt(0));
    }

    default Param<Vector> initialWeights() {
        return new Param<>(this, "initialWeights", "starting weights in MLlib's order (per layer: W, out × in,"
                + " column-major, then b) on the raw features (model.init; data.scale = none)");
    }

    default int[] getLayers() { return (int[]) getOrDefault(layers()); }
    default int getMaxIter() {
        TrainConfig c = usedConfig();
        return c == null ? (Integer) getOrDefault(maxIter()) : c.epochs();
    }
    default double getStepSize() {
        TrainConfig c = usedConfig();
        return c == null ? (Double) getOrDefault(stepSize()) : c.learningRate();
    }
    default double getTol() {
        TrainConfig c = usedConfig();
        return c == null ? (Double) getOrDefault(tol()) : c.tolerance();
    }
    /** The solver set, else l-bfgs when the fit uses lbfgs, else the optimizer's name (which solver accepts). */
    default String getSolver() {
        TrainConfig c = usedConfig();
        if (isSet(solver()) || c == null) return getOrDefault(solver());
        return c.lbfgs() ? "l-bfgs" : c.optimizer().id();
    }
    default int getBlockSize() { return (Integer) getOrDefault(blockSize()); }
    default Vector getInitialWeights() { return getOrDefault(initialWeights()); }

    @SuppressWarnings("unchecked")
    private T put(Param<?> p, Object value) {
        return (T) set(p.name(), value);
    }

    default T setLayers(int[] sizes) { return put(layers(), sizes); }
    default T setMaxIter(int v) { return put(maxIter(), v); }
    default T setStepSize(double v) { return put(stepSize(), v); }
    default T setTol(double v) { return put(tol(), v); }
    default T setSolver(String v) { return put(solver(), v); }
    default T setBlockSize(int v) { return put(blockSize(), v); }
    default T setInitialWeights(Vector v) { return put(initialWeights(), v); }

    // Our getters whose answer the mode and the twins decide: what the fit uses (see the class comment).
    @Override
    default int[] getHiddenLayers() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getHiddenLayers() : c.hidden();
    }
    @Override
    default String getActivation() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getActivation() : c.activation().configName;
    }
    @Override
    default String getOptimizer() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getOptimizer() : c.optimizer().id();
    }
    @Override
    default double getLearningRate() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getLearningRate() : c.learningRate();
    }
    @Override
    default int getBatchSize() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getBatchSize() : c.batchSize();
    }
    @Override
    default int getEpochs() {
        TrainConfig c = usedConfig();
        return c == null ? SparkpropParams.super.getEpochs() : c.epochs();
    }

    /** As {@link SparkpropParams#setFromModelConfig}, and tol from optimizer.tolerance. */
    @Override
    default void setFromModelConfig(String modelConfig) {
        SparkpropParams.super.setFromModelConfig(modelConfig);
        try {
            setTol(TrainConfig.from(ConfigFactory.parseString(modelConfig)).tolerance());
        } catch (RuntimeException e) {
            // a config this version cannot read: tol stays as it is, as the others do
        }
    }

    /** The config the fit assembles from these params, without the data; null while the params contradict. */
    private TrainConfig usedConfig() {
        try {
            return fitConfig(null);
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            return null;
        }
    }

    /**
     * The run's config as fit assembles it: the set params (ours and MLlib's, mapped) over {@link #config()} over
     * MLlib's defaults when {@link #mllibOnly()}, over the classifier's defaults.
     *
     * @param initFile initialWeights already written as JSON, or null
     */
    default TrainConfig fitConfig(String initFile) {
        Config mapped = mllibConfig(initFile);
        Config base = mllibOnly() ? ConfigFactory.parseMap(MLLIB_DEFAULTS, "MLlib's defaults")
                .withFallback(SparkpropClassifier.BASE) : SparkpropClassifier.BASE;
        return trainConfig(base, mapped);
    }

    /** MLlib's defaults for the params that have one (layers and initialWeights have none, as in MLlib). */
    default void setMllibDefaults() {
        setDefault(maxIter(), 100);
        setDefault(stepSize(), 0.03);
        setDefault(tol(), 1e-6);
        setDefault(solver(), "l-bfgs");
        setDefault(blockSize(), 128);
    }

    /** True when some MLlib name is set and none of ours that MLlib's defaults would override. */
    default boolean mllibOnly() {
        boolean mllib = List.of("layers", "maxIter", "stepSize", "tol", "solver", "blockSize", "initialWeights")
                .stream().anyMatch(n -> isSet(getParam(n)));
        boolean ours = List.of("hiddenLayers", "epochs", "learningRate", "optimizer", "batchSize")
                .stream().anyMatch(n -> isSet(getParam(n)));
        return mllib && !ours;
    }

    /**
     * The keys MLlib's names set (with {@code initFile} the initial weights already written as JSON, or null),
     * after checking each against its twin among our names.
     */
    default Config mllibConfig(String initFile) {
        Map<String, Object> m = new LinkedHashMap<>();
        // The params' own values: the getters report the assembled config, built from these.
        if (isSet(layers())) {
            int[] l = (int[]) getOrDefault(layers());
            m.put("model.hidden", Arrays.stream(l, 1, l.length - 1).boxed().toList());
        }
        if (isSet(maxIter())) m.put("train.epochs", getOrDefault(maxIter()));
        if (isSet(stepSize())) m.put("optimizer.learning-rate", getOrDefault(stepSize()));
        if (isSet(tol())) m.put("optimizer.tolerance", getOrDefault(tol()));
        if (isSet(solver())) {
            String s = getOrDefault(solver());
            m.put("optimizer.name", s.equals("l-bfgs") ? OptimizerKind.LBFGS.id() : s.equals("gd") ? "sgd" : s);
            if (s.equals("gd") && !isSet(batchSize())) {
                m.put("train.batch-size", Integer.MAX_VALUE); // MLlib's gd is full-batch; the fit clamps to the rows
            }
        }
        if (initFile != null) {
            m.put("model.init", "file:" + initFile);
            m.put("data.scale", "none");
        }
        checkTwins(m);
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "MLlib param"));
        }
        return c;
    }

    private void checkTwins(Map<String, Object> mapped) {
        for (Map.Entry<String, String> t : TWINS.entrySet()) {
            Param<Object> ours = getParam(t.getKey());
            Param<Object> theirs = getParam(t.getValue());
            if (!isSet(ours) || !isSet(theirs)) {
                continue;
            }
            String key = KEYS.get(t.getKey());
            Object a = getOrDefault(ours);
            Object b = mapped.get(key);
            if (a instanceof int[] ints) a = Arrays.stream(ints).boxed().toList();
            boolean same = a instanceof Number x && b instanceof Number y ? x.doubleValue() == y.doubleValue()
                    : a.equals(b);
            if (!same) {
                Object shown = getOrDefault(theirs);
                throw new IllegalArgumentException(uid() + " parameters " + t.getKey() + " (" + show(getOrDefault(ours))
                        + ") and " + t.getValue() + " (" + show(shown) + ") say different things about " + key
                        + "; set one of them");
            }
        }
    }

    private static String show(Object v) {
        return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
    }
}
