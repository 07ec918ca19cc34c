// Where a fit starts: initialWeights in MLlib's order, the same start giving the same weights, model.init.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MllibStartingWeightsTest extends MllibFrames {
    @Test
    void initialWeightsAreMllibsOrder() {
        Dataset<Row> rows = frame(blobs(90, 8));
        int[] layers = {4, 3, 3};
        int p = 4 * 3 + 3 + 3 * 3 + 3;
        Random rnd = new Random(3);
        double[] w0 = new double[p];
        for (int i = 0; i < p; i++) w0[i] = 0.5 + rnd.nextDouble(); // none zero: a 1e-300 step leaves each as is
        Vector w = Vectors.dense(w0);
        // A step of 1e-300 changes no weight: both models hold w, so their outputs must agree.
        MultilayerPerceptronClassificationModel theirs = new MultilayerPerceptronClassifier().setLayers(layers)
                .setInitialWeights(w).setSolver("gd").setStepSize(1e-300).setMaxIter(1).fit(rows);
        SparkpropClassificationModel ours = new SparkpropClassifier().setLayers(layers).setInitialWeights(w)
                .setSolver("gd").setStepSize(1e-300).setMaxIter(1).fit(rows);
        assertEquals(theirs.weights(), ours.weights());
        assertArrayEquals(w0, ours.weights().toArray());
        List<Row> a = theirs.transform(rows).select("probability").collectAsList();
        List<Row> b = ours.transform(rows).select("probability").collectAsList();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(), 1e-9,
                    "row " + i);
        }
    }

    /**
     * MLlib's suite's "Test setWeights by training restart": XOR, layers [2, 5, 2], one iteration gives a start;
     * two fits from that start (each given its own copy) end at the same weights (MLlib: within 1e-4). Ours: the
     * same bits with the same seed.
     */
    @Test
    void theSameInitialWeightsGiveTheSameWeights() {
        Dataset<Row> rows = frame(XOR, 1);
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {2, 5, 2}).setBlockSize(1)
                .setSeed(12L).setMaxIter(1).setTol(1e-6);
        Vector start = c.fit(rows).weights();
        Vector first = c.setInitialWeights(start.copy()).fit(rows).weights();
        Vector second = c.setInitialWeights(start.copy()).fit(rows).weights();
        assertArrayEquals(first.toArray(), second.toArray());
        // Another seed orders the rows otherwise, so the sums round otherwise: within MLlib's tolerance.
        Vector reseeded = c.setInitialWeights(start.copy()).setSeed(99L).fit(rows).weights();
        assertArrayEquals(first.toArray(), reseeded.toArray(), 1e-4);
        // Not vacuous: the fit moved away from the start.
        assertNotEquals(start, first);
    }

    @Test
    void modelInitTakesAModelSavedThroughSparkMl() throws Exception {
        Dataset<Row> rows = frame(blobs(90, 4));
        SparkpropClassificationModel a = new SparkpropClassifier().setHiddenLayers(5).setEpochs(3).fit(rows);
        Path saved = tmp.resolve("saved-model");
        a.write().save(saved.toString());
        // One epoch of sgd at 1e-300 moves no weight: the fit starts from, and ends at, the saved weights.
        SparkpropClassificationModel b = new SparkpropClassifier().setHiddenLayers(5).setOptimizer("sgd")
                .setLearningRate(1e-300).setEpochs(1).setConfig("model.init = \"file:" + saved + "\"").fit(rows);
        assertEquals(a.summary().weightsSha256(), b.summary().weightsSha256());
    }
}
