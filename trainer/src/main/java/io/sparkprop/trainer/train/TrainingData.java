// What a training run needs to know about its data, wherever the rows live (driver memory or Spark executors).
package io.sparkprop.trainer.train;

import java.util.List;

import io.sparkprop.trainer.config.Precision;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.LayerList;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Shape;

/** Implemented by {@link PreparedData} (rows on the driver) and by the Spark module's distributed reader. */
public interface TrainingData {
    int features();

    /** Classes of the labels (0 for regression). */
    int numClasses();

    /** Target values per row (1 for class indices). */
    int targets();

    /** Class names in index order, or null for regression. */
    List<String> classNames();

    /** Rows of the training split (validation excluded). */
    int trainRows();

    /** The feature scaling fitted on the training split and applied to every split. */
    Scaler scaler();

    String describe();

    /** The training CSV's header, or null (no header, or not CSV). */
    default List<String> header() {
        return null;
    }

    long skippedRows();

    /** The categorical input columns a first embedding layer reads (data.categorical-columns resolved). */
    default Categorical categorical() {
        return Categorical.NONE;
    }

    List<Long> skippedLines();

    /** {in, hidden..., out} with the output width the loss needs for this data. */
    default Network network(TrainConfig cfg) {
        return network(cfg, features(), numClasses(), targets(), categorical());
    }

    /** The configured network for data of this shape. */
    static Network network(TrainConfig cfg, int features, int numClasses, int targets) {
        return network(cfg, features, numClasses, targets, Categorical.NONE);
    }

    /** The configured network for data of this shape with these categorical columns. */
    static Network network(TrainConfig cfg, int features, int numClasses, int targets, Categorical categorical) {
        int outputs = cfg.loss().outputUnits(numClasses, targets);
        if (!cfg.layers().isEmpty()) {
            Shape in = cfg.inputShape() == null ? Shape.flat(features) : cfg.inputShape();
            if (in.size() != features) {
                throw new UserError("model.input-shape: " + in + " holds " + in.size() + " values, the data has "
                        + features + " features");
            }
            return new Network(LayerList.stack(in, cfg.layers(), outputs, categorical), cfg.activation(), cfg.output(),
                    cfg.loss(), cfg.classification(), cfg.computePrecision() == Precision.FLOAT32);
        }
        int[] hidden = cfg.hidden();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = features;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        NetworkSize.check(sizes, Runtime.getRuntime().maxMemory());
        return new Network(sizes, cfg.activation(), cfg.output(), cfg.loss(), cfg.dropout(), cfg.classification(),
                cfg.computePrecision() == Precision.FLOAT32);
    }
}
