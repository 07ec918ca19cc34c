// Spark ML face of sparkprop for regression: fit trains with the CLI's Spark engine on the DataFrame's rows.
package io.sparkprop.ml;

import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;

import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

import io.sparkprop.trainer.config.TrainConfig;

/**
 * Labels are numbers; features one ml.linalg.Vector column, dense or sparse. Params: see {@link SparkpropParams};
 * the loss is mse (the default here).
 */
public final class SparkpropRegressor
        extends Regressor<Vector, SparkpropRegressor, SparkpropRegressionModel>
        implements SparkpropParams<SparkpropRegressor>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "sparkpropRegressor";
    static final Config BASE = SparkpropParams.base(Map.of("model.loss", "mse"));

    private String uid;

    public SparkpropRegressor() {
        this(Uids.random(PREFIX));
    }

    public SparkpropRegressor(String uid) {
        this(Uids.next(uid));
        uid();
        setSparkpropDefaults(BASE);
    }

    private SparkpropRegressor(Void uidWaiting) {
        super();
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.claim(PREFIX);
        return uid;
    }

    /** Called by fit (after Spark cast the label to double); public only because Java cannot see Scala's protected. */
    @Override
    public SparkpropRegressionModel train(Dataset<?> dataset) {
        TrainConfig cfg = trainConfig(BASE);
        if (cfg.loss().isClassification()) {
            throw new IllegalArgumentException(uid() + " parameter loss: " + cfg.loss().configName + " is a"
                    + " classification loss; use SparkpropClassifier");
        }
        FrameFit.Fitted f = FrameFit.run(dataset, List.of(getFeaturesCol()), getLabelCol(), validationColumnOrNull(),
                cfg, "featuresCol", "labelCol", false, SparkpropClassifier.progressLog(uid()), data -> { },
                NominalSlots.of(this, dataset.schema(), getFeaturesCol(), cfg, uid()));
        SparkpropRegressionModel m = new SparkpropRegressionModel(uid(), f.model());
        return m.withSummary(new RegressionTrainingSummary(f.summary(), new RegressionSummary(m, dataset)));
    }

    @Override
    public SparkpropRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SparkpropRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkpropRegressor load(String path) {
        return read().load(path);
    }
}
