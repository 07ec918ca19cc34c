// A fitted sparkprop regressor: the trained network's single output, scored on the executors.
package io.sparkprop.ml;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.sparkprop.trainer.export.OnnxDtype;
import io.sparkprop.trainer.export.OnnxExport;
import io.sparkprop.trainer.model.Model;

/** transform broadcasts the model once; the task closures carry only that broadcast. */
public final class SparkpropRegressionModel extends RegressionModel<Vector, SparkpropRegressionModel>
        implements SparkpropParams<SparkpropRegressionModel>, MLWritable {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "sparkpropRegressionModel";

    private String uid;
    private transient Model model;
    private transient Scorer scorer;
    private transient RegressionTrainingSummary summary;
    private Broadcast<Model> shared;

    /** For Spark Connect ML, which builds models by reflection; a usable model comes from fit or load. */
    public SparkpropRegressionModel() {
        this(Uids.random(PREFIX), null);
    }

    SparkpropRegressionModel(String uid, Model model) {
        this(Uids.next(uid));
        uid();
        this.model = model;
        setSparkpropDefaults(SparkpropRegressor.BASE);
    }

    private SparkpropRegressionModel(Void uidWaiting) {
        super();
    }

    SparkpropRegressionModel withSummary(RegressionTrainingSummary s) {
        this.summary = s;
        return this;
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.claim(PREFIX);
        return uid;
    }

    public Model sparkpropModel() {
        return model != null ? model : shared.value();
    }

    /**
     * Writes the network, with its feature scaling, as an ONNX file (as {@code sparkprop export} does):
     * input {@code features}, outputs as in the README's "Serving the model elsewhere".
     *
     * @param dtype "float32" (the default of the CLI) or "float64"
     * @throws IllegalArgumentException for any other dtype
     */
    public void exportOnnx(String path, String dtype) {
        OnnxExport.write(sparkpropModel(), OnnxDtype.parse(dtype), java.nio.file.Path.of(path));
    }

    /** A model trained by the CLI: its OUT/model folder (a local path), as a Spark ML model without a summary. */
    public static SparkpropRegressionModel fromModelDir(String dir) {
        SparkpropRegressionModel m = new SparkpropRegressionModel(Uids.random(PREFIX), ModelFiles.fromModelDir(dir, false));
        m.setFromModelConfig(m.sparkpropModel().config()); // its getters tell the run's keys
        return m;
    }

    /** {@link #exportOnnx(String, String)} in float32. */
    public void exportOnnx(String path) {
        exportOnnx(path, "float32");
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** This model's metrics on {@code dataset}, as MLlib's regressors' evaluate gives them. */
    public RegressionSummary evaluate(Dataset<?> dataset) {
        return new RegressionSummary(this, dataset);
    }

    /** The fit's measurements and MLlib's regression metrics; a loaded model has none ({@link #hasSummary}). */
    public RegressionTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException(uid() + ": no training summary (the model was loaded, not fitted)");
        }
        return summary;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        if (shared == null && model != null) {
            shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(model);
        }
        return super.transform(dataset);
    }

    @Override
    public int numFeatures() {
        return sparkpropModel().features();
    }

    @Override
    public double predict(Vector features) {
        if (scorer == null) scorer = new Scorer(sparkpropModel());
        return scorer.outputs(features)[0];
    }

    @Override
    public SparkpropRegressionModel copy(ParamMap extra) {
        SparkpropRegressionModel m = new SparkpropRegressionModel(uid(), sparkpropModel());
        m.summary = summary;
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ModelFiles.writer(this, sparkpropModel());
    }

    public static MLReader<SparkpropRegressionModel> read() {
        return ModelFiles.reader(SparkpropRegressionModel.class, SparkpropRegressionModel::new);
    }

    public static SparkpropRegressionModel load(String path) {
        return read().load(path);
    }
}
