// A fitted sparkprop classifier: probabilities from the trained network, scored on the executors.
package io.sparkprop.ml;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.sparkprop.trainer.export.OnnxDtype;
import io.sparkprop.trainer.export.OnnxExport;
import io.sparkprop.trainer.model.Model;

/**
 * rawPrediction holds log-probabilities (so softmax(raw) is the probability column and the order of classes
 * is kept for BinaryClassificationEvaluator); prediction is the class index. transform broadcasts the model
 * once; the task closures carry only that broadcast, the executors score their own rows.
 */
public final class SparkpropClassificationModel
        extends ProbabilisticClassificationModel<Vector, SparkpropClassificationModel>
        // SparkpropParams again, though MllibParams extends it: Py4J finds default methods only in the interfaces a
        // class names itself, so Python's _java_obj.getLoss() needs it named here.
        implements MllibParams<SparkpropClassificationModel>, SparkpropParams<SparkpropClassificationModel>, MLWritable {
    private static final long serialVersionUID = 1L;
    static final String PREFIX = "sparkpropClassificationModel";

    private String uid;
    private transient Model model;
    private transient Scorer scorer;
    private transient ClassificationTrainingSummary summary;
    private Broadcast<Model> shared;

    /** For Spark Connect ML, which builds models by reflection; a usable model comes from fit or load. */
    public SparkpropClassificationModel() {
        this(Uids.random(PREFIX), null);
    }

    SparkpropClassificationModel(String uid, Model model) {
        this(Uids.next(uid));
        uid();
        this.model = model;
        setSparkpropDefaults(SparkpropClassifier.BASE);
        setMllibDefaults();
    }

    private SparkpropClassificationModel(Void uidWaiting) {
        super();
    }

    SparkpropClassificationModel withSummary(ClassificationTrainingSummary s) {
        this.summary = s;
        return this;
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.claim(PREFIX);
        return uid;
    }

    /** The trained network, its scaling and class names, as the CLI saves them. */
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
    public static SparkpropClassificationModel fromModelDir(String dir) {
        SparkpropClassificationModel m = new SparkpropClassificationModel(Uids.random(PREFIX),
                ModelFiles.fromModelDir(dir, true));
        m.setFromModelConfig(m.sparkpropModel().config()); // its getters tell the run's keys
        return m;
    }

    /** {@link #exportOnnx(String, String)} in float32. */
    public void exportOnnx(String path) {
        exportOnnx(path, "float32");
    }

    /** The network's sizes, input to output, as MLlib's model reports its layers. */
    @Override
    public int[] getLayers() {
        return sparkpropModel().net().sizes();
    }

    /**
     * The weights in MLlib's order (per layer: W, out × in, column-major, then b) on the raw features: the fitted
     * feature scaling x' = (x − shift) ⊙ scale is folded into the first layer, W ← W·diag(scale) and
     * b ← b − W·diag(scale)·shift, so these weights give the same outputs on unscaled rows. A model.layers
     * network has no such order (a convolution's zero padding does not commute with the scaling): refused.
     */
    public Vector weights() {
        Model m = sparkpropModel();
        if (m.net().isLayerList()) {
            throw new UnsupportedOperationException("weights: MLlib's order describes dense layers; this model has"
                    + " model.layers (" + m.net().stack + "); its flat weights are sparkpropModel().params()");
        }
        double[] w = m.params().clone();
        io.sparkprop.trainer.nn.ParamLayout layout = m.net().layout();
        double[] shift = m.shift();
        double[] scale = m.scale();
        if (shift != null && scale != null) {
            int out = layout.out(0);
            int wo = layout.wOffset(0);
            int bo = layout.bOffset(0);
            for (int i = 0; i < layout.in(0); i++) {
                for (int j = 0; j < out; j++) {
                    double v = w[wo + i * out + j] * scale[i];
                    w[wo + i * out + j] = v;
                    w[bo + j] -= v * shift[i];
                }
            }
        }
        return Vectors.dense(w);
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** This model's metrics on {@code dataset} (labelCol holding class indices), as MLlib's evaluate gives them. */
    public ClassificationSummary evaluate(Dataset<?> dataset) {
        return new ClassificationSummary(this, dataset);
    }

    /** The fit's measurements and MLlib's training-summary metrics; a loaded model has none ({@link #hasSummary}). */
    public ClassificationTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException(uid() + ": no training summary (the model was loaded, not fitted)");
        }
        return summary;
    }

    private Scorer scorer() {
        if (scorer == null) scorer = new Scorer(sparkpropModel());
        return scorer;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        if (shared == null && model != null) {
            shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(model);
        }
        return super.transform(dataset);
    }

    @Override
    public int numClasses() {
        return sparkpropModel().classNames().size();
    }

    @Override
    public int numFeatures() {
        return sparkpropModel().features();
    }

    @Override
    public Vector predictRaw(Vector features) {
        double[] p = scorer().probabilities(features);
        for (int j = 0; j < p.length; j++) p[j] = Math.log(p[j]);
        return Vectors.dense(p);
    }

    /** softmax of the log-probabilities, in place: the probabilities themselves, renormalised. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        double[] v = ((DenseVector) raw).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double r : v) max = Math.max(max, r);
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = Math.exp(v[j] - max);
            sum += v[j];
        }
        for (int j = 0; j < v.length; j++) v[j] /= sum;
        return raw;
    }

    /** Spark's two declarations of this method clash in Java's eyes (a Scala covariant override); keep Spark's. */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public SparkpropClassificationModel copy(ParamMap extra) {
        SparkpropClassificationModel m = new SparkpropClassificationModel(uid(), sparkpropModel());
        m.summary = summary;
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return ModelFiles.writer(this, sparkpropModel());
    }

    public static MLReader<SparkpropClassificationModel> read() {
        return ModelFiles.reader(SparkpropClassificationModel.class, SparkpropClassificationModel::new);
    }

    public static SparkpropClassificationModel load(String path) {
        return read().load(path);
    }
}
