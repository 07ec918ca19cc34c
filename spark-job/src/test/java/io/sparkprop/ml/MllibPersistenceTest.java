// Save and load of the estimator and the model with MLlib's params set, as MLlib's suite's read/write test does.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MllibPersistenceTest extends MllibFrames {
    @Test
    void theEstimatorKeepsMllibsParams() throws Exception {
        // MLlib's params survive the estimator's save and load.
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {4, 2, 3}).setSolver("gd").setTol(1e-4)
                .setStepSize(0.5).setMaxIter(7).setBlockSize(16).setSeed(5L)
                .setInitialWeights(Vectors.dense(new double[4 * 2 + 2 + 2 * 3 + 3]));
        c.write().overwrite().save(tmp.resolve("estimator").toString());
        SparkpropClassifier loaded = SparkpropClassifier.load(tmp.resolve("estimator").toString());
        assertEquals(c.uid(), loaded.uid());
        assertArrayEquals(c.getLayers(), loaded.getLayers());
        assertEquals("gd", loaded.getSolver());
        assertEquals(1e-4, loaded.getTol());
        assertEquals(c.getInitialWeights(), loaded.getInitialWeights());
        // Every set param comes back set, with its value; nothing else is set.
        // (params() is a Java array on both Scala lines; Scala's collection converters differ between 2.12 and 2.13.)
        List<Param<?>> set = java.util.Arrays.stream(c.params()).filter(c::isSet).toList();
        assertEquals(8, set.size(), set.toString());
        for (Param<?> q : set) {
            @SuppressWarnings("unchecked")
            Param<Object> p = (Param<Object>) loaded.getParam(q.name());
            assertTrue(loaded.isSet(p), p.name());
            @SuppressWarnings("unchecked")
            Object a = c.getOrDefault((Param<Object>) q);
            Object b = loaded.getOrDefault(p);
            if (a instanceof int[] x) assertArrayEquals(x, (int[]) b, p.name());
            else assertEquals(a, b, p.name());
        }
        assertFalse(loaded.isSet(loaded.activation()));
        // What the loaded estimator would fit with is what the original would.
        assertEquals(c.getOptimizer(), loaded.getOptimizer());
        assertEquals(c.getEpochs(), loaded.getEpochs());
    }

    @Test
    void theModelKeepsItsLayersWeightsAndPredictions() throws Exception {
        Dataset<Row> rows = frame(blobs(90, 3));
        SparkpropClassificationModel m = new SparkpropClassifier().setLayers(new int[] {4, 5, 3}).setMaxIter(10)
                .setSeed(2L).fit(rows);
        String path = tmp.resolve("model").toString();
        m.write().overwrite().save(path);
        SparkpropClassificationModel loaded = SparkpropClassificationModel.load(path);
        assertArrayEquals(m.getLayers(), loaded.getLayers());
        assertEquals(m.weights(), loaded.weights());
        assertEquals(m.numFeatures(), loaded.numFeatures());
        assertEquals(m.numClasses(), loaded.numClasses());
        assertEquals(m.getMaxIter(), loaded.getMaxIter());
        assertEquals(m.getActivation(), loaded.getActivation());
        assertFalse(loaded.hasSummary());
        List<Row> a = m.transform(rows).select("probability", "prediction").collectAsList();
        List<Row> b = loaded.transform(rows).select("probability", "prediction").collectAsList();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(),
                    "row " + i);
            assertEquals(a.get(i).getDouble(1), b.get(i).getDouble(1), "row " + i);
        }
    }

    @Test
    void aModelFromAModelFolderTellsTheKeysItWasTrainedWith() throws Exception {
        Dataset<Row> rows = frame(blobs(60, 3));
        SparkpropClassificationModel m = new SparkpropClassifier().setLayers(new int[] {4, 3, 3}).setMaxIter(3)
                .setTol(1e-5).fit(rows);
        String path = tmp.resolve("folder-model").toString();
        m.write().overwrite().save(path);
        // fromModelDir reads the network and its config, not Spark ML's params: the getters come from the config.
        SparkpropClassificationModel folder = SparkpropClassificationModel.fromModelDir(path);
        com.typesafe.config.Config used = com.typesafe.config.ConfigFactory.parseString(m.sparkpropModel().config());
        assertEquals("sigmoid", used.getString("model.activation"));
        assertEquals(used.getString("model.activation"), folder.getActivation());
        assertEquals(used.getString("optimizer.name"), folder.getOptimizer());
        assertEquals(used.getInt("train.epochs"), folder.getEpochs());
        assertEquals(used.getInt("train.epochs"), folder.getMaxIter());
        assertEquals(used.getDouble("optimizer.tolerance"), folder.getTol());
        assertEquals("l-bfgs", folder.getSolver());
        assertArrayEquals(new int[] {3}, folder.getHiddenLayers());
    }
}
