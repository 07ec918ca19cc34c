// Scores one feature vector with a trained model: the model's scaling, then the network, one workspace per thread.
package io.sparkprop.ml;

import org.apache.spark.ml.linalg.Vector;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.Scaler;
import io.sparkprop.trainer.eval.Evaluator;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.model.Model;

/** The same forward pass as the CLI's predict: x' = (x − shift) ⊙ scale, then outputs (probabilities or values). */
final class Scorer {
    private final Model model;
    private final Scaler scaler;
    private final ThreadLocal<Evaluator> evaluators;

    Scorer(Model model) {
        this.model = model;
        this.scaler = Scaler.of(Scaler.Kind.parse(model.scaleKind()), model.shift(), model.scale());
        this.evaluators = ThreadLocal.withInitial(() ->
                new Evaluator(model.net(), model.net().newWorkspace(Backend.AUTO.gemm())));
    }

    Model model() {
        return model;
    }

    /** The network's outputs for one row (a fresh array of net.outputs() values). */
    double[] outputs(Vector features) {
        int f = model.features();
        if (features.size() != f) {
            throw new IllegalArgumentException("features: a vector of " + features.size() + " values, the model"
                    + " expects " + f);
        }
        Dataset row = scaler.apply(new Dataset(1, f, 1, features.toArray(), new double[1], null));
        return evaluators.get().predict(model.params(), row, 0, 1).clone();
    }

    /**
     * Class probabilities (numClasses values): the softmax outputs, or (1 − p, p) for a single sigmoid unit,
     * or sigmoid units normalised to sum to one.
     */
    double[] probabilities(Vector features) {
        double[] out = outputs(features);
        int k = model.classNames().size();
        if (out.length == 1 && k == 2) {
            return new double[] {1 - out[0], out[0]};
        }
        double sum = 0;
        for (double p : out) sum += p;
        if (Math.abs(sum - 1) > 1e-9 && sum > 0) {
            for (int j = 0; j < out.length; j++) out[j] /= sum;
        }
        return out;
    }

    /** Index of the largest probability (the first on ties). */
    static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) best = j;
        }
        return best;
    }
}
