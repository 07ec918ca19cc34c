// Spark ML face of sparkprop for classification: fit trains with the CLI's Spark engine on the DataFrame's rows.
package io.sparkprop.ml;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.train.TrainingData;

/**
 * Labels are class indices 0 … k−1 (a StringIndexer gives them); features one ml.linalg.Vector column, dense or
 * sparse. Params: see {@link SparkpropParams}, and MLlib's MultilayerPerceptronClassifier names with MLlib's meaning
 * ({@link MllibParams}); loss is softmax-cross-entropy or sigmoid-cross-entropy.
 */
public final class SparkpropClassifier
        extends ProbabilisticClassifier<Vector, SparkpropClassifier, SparkpropClassificationModel>
        // SparkpropParams again, though MllibParams extends it: Py4J finds default methods only in the interfaces a
        // class names itself, so Python's _java_obj.getLoss() needs it named here.
        implements MllibParams<SparkpropClassifier>, SparkpropParams<SparkpropClassifier>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "sparkpropClassifier";
    static final Config BASE = SparkpropParams.base(Map.of());

    private String uid;

    public SparkpropClassifier() {
        this(Uids.random(PREFIX));
    }

    public SparkpropClassifier(String uid) {
        this(Uids.next(uid));
        uid();
        setSparkpropDefaults(BASE);
        setMllibDefaults();
    }

    private SparkpropClassifier(Void uidWaiting) {
        super();
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.claim(PREFIX);
        return uid;
    }

    /** Called by fit (after Spark cast the label to double); public only because Java cannot see Scala's protected. */
    @Override
    public SparkpropClassificationModel train(Dataset<?> dataset) {
        Path init = null;
        try {
            if (isSet(initialWeights())) {
                init = Files.createTempFile("sparkprop-initial-weights", ".json");
                Files.writeString(init, "{\"weights\": " + Arrays.toString(getInitialWeights().toArray()) + "}");
            }
            TrainConfig cfg = fitConfig(init == null ? null : init.toString());
            if (!cfg.loss().isClassification()) {
                throw new IllegalArgumentException(uid() + " parameter loss: " + cfg.loss().configName + " is a"
                        + " regression loss; use SparkpropRegressor");
            }
            int[] layers = isSet(layers()) ? getLayers() : null;
            FrameFit.Fitted f = FrameFit.run(dataset, List.of(getFeaturesCol()), getLabelCol(),
                    validationColumnOrNull(), cfg, "featuresCol", "labelCol", true, progressLog(uid()),
                    data -> checkLayers(layers, data),
                    NominalSlots.of(this, dataset.schema(), getFeaturesCol(), cfg, uid()));
            SparkpropClassificationModel m = new SparkpropClassificationModel(uid(), f.model());
            return m.withSummary(new ClassificationTrainingSummary(f.summary(), new ClassificationSummary(m, dataset)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (init != null) {
                init.toFile().delete();
            }
        }
    }

    /** MLlib's layers name the input and output sizes too: they must be the data's. */
    private void checkLayers(int[] layers, TrainingData data) {
        if (layers == null) {
            return;
        }
        int out = layers[layers.length - 1];
        if (layers[0] != data.features() || out != data.numClasses()) {
            throw new IllegalArgumentException(uid() + " parameter layers: " + Arrays.toString(layers) + " runs from "
                    + layers[0] + " inputs to " + out + " outputs; the data has " + data.features() + " features"
                    + " (featuresCol) and " + data.numClasses() + " classes (labelCol)");
        }
    }

    /** The fit's progress lines: to the log, and to whoever follows {@code uid} (see {@link LogLines}). */
    static PrintStream progressLog(String uid) {
        return new PrintStream(new LogLines(uid), true, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public SparkpropClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SparkpropClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkpropClassifier load(String path) {
        return read().load(path);
    }
}
