// Spark ML face of sparkprop for classification: fit trains with the CLI's Spark engine on the DataFrame's rows.
package io.sparkprop.ml;

import java.io.PrintStream;
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

/**
 * Labels are class indices 0 … k−1 (a StringIndexer gives them); features one ml.linalg.Vector column, dense or
 * sparse. Params: see {@link SparkpropParams}; loss is softmax-cross-entropy or sigmoid-cross-entropy.
 */
public final class SparkpropClassifier
        extends ProbabilisticClassifier<Vector, SparkpropClassifier, SparkpropClassificationModel>
        implements SparkpropParams<SparkpropClassifier>, DefaultParamsWritable {
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
        TrainConfig cfg = trainConfig(BASE);
        if (!cfg.loss().isClassification()) {
            throw new IllegalArgumentException(uid() + " parameter loss: " + cfg.loss().configName + " is a"
                    + " regression loss; use SparkpropRegressor");
        }
        FrameFit.Fitted f = FrameFit.run(dataset, List.of(getFeaturesCol()), getLabelCol(), cfg, "featuresCol",
                "labelCol", true, progressLog(uid()));
        return new SparkpropClassificationModel(uid(), f.model()).withSummary(f.summary());
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
