// MLlib's param names on our classifier: MLlib's defaults when only they are set, twins, and truthful getters.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

class MllibParamsTest extends MllibFrames {
    /** The config a fitted model was trained with. */
    static Config used(SparkpropClassificationModel m) {
        return ConfigFactory.parseString(m.sparkpropModel().config());
    }

    @Test
    void mllibNamesAloneBehaveAsMllib() {
        Dataset<Row> rows = frame(blobs(150, 5));
        // Code written for MultilayerPerceptronClassifier, with only the class name changed.
        SparkpropClassifier c = new SparkpropClassifier().setLayers(new int[] {4, 5, 3}).setMaxIter(30)
                .setSeed(1234L).setBlockSize(64);
        SparkpropClassificationModel m = c.fit(rows);
        assertEquals(List.of(4, 5, 3), Arrays.stream(m.getLayers()).boxed().toList());
        Config used = used(m);
        assertEquals("lbfgs", used.getString("optimizer.name"));
        assertEquals("sigmoid", used.getString("model.activation"));
        assertEquals(0.03, used.getDouble("optimizer.learning-rate"));
        assertEquals(1e-6, used.getDouble("optimizer.tolerance"));
        assertEquals(List.of(5), used.getIntList("model.hidden"));
        assertEquals(30, used.getInt("train.epochs"));
        assertEquals(m.sparkpropModel().net().paramCount(), m.weights().size());
        // MLlib's getters and defaults: the params' defaults are MLlib's, and so is the fit once an MLlib name is set.
        assertEquals("l-bfgs", c.getSolver());
        assertEquals(0.03, c.getStepSize());
        SparkpropClassifier fresh = new SparkpropClassifier();
        assertEquals(100, fresh.getDefault(fresh.maxIter()).get());
        assertEquals(100, new SparkpropClassifier().setLayers(new int[] {4, 5, 3}).getMaxIter());
        assertEquals(128, fresh.getBlockSize());
        assertEquals(1e-6, fresh.getTol());

        // gd: sgd on the full batch (one step per epoch).
        SparkpropClassificationModel gd = new SparkpropClassifier().setLayers(new int[] {4, 3}).setSolver("gd")
                .setMaxIter(3).fit(rows);
        assertEquals(3L, ((Number) gd.summary().values().get("steps")).longValue());
    }

    @Test
    void twoSpellingsOfOneThingMustAgree() {
        Dataset<Row> rows = frame(blobs(60, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setEpochs(5).setMaxIter(7).fit(rows));
        assertTrue(e.getMessage().contains("epochs (5)") && e.getMessage().contains("maxIter (7)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setHiddenLayers(8).setLayers(new int[] {4, 6, 3}).fit(rows));
        assertTrue(e.getMessage().contains("hiddenLayers") && e.getMessage().contains("layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setOptimizer("adam").setSolver("l-bfgs").fit(rows));
        assertTrue(e.getMessage().contains("optimizer") && e.getMessage().contains("solver"), e.getMessage());
        // Agreeing spellings are fine.
        SparkpropClassificationModel both = new SparkpropClassifier().setEpochs(2).setMaxIter(2).setLearningRate(0.1)
                .setStepSize(0.1).fit(rows);
        // One of our names is set, so the keys left unset keep our defaults, not MLlib's.
        Config used = used(both);
        assertEquals("adam", used.getString("optimizer.name"));
        assertEquals("relu", used.getString("model.activation"));
        // layers names the data's sizes too.
        e = assertThrows(IllegalArgumentException.class,
                () -> new SparkpropClassifier().setLayers(new int[] {7, 5, 3}).setMaxIter(1).fit(rows));
        assertTrue(e.getMessage().contains("parameter layers") && e.getMessage().contains("4 features"),
                e.getMessage());
    }

    /** Each getter, before and after the fit, equals the key the fit actually trained with. */
    static void assertGettersTell(SparkpropClassifier c, SparkpropClassificationModel m) {
        Config used = used(m);
        for (MllibParams<?> p : List.<MllibParams<?>>of(c, m)) {
            String who = p.uid();
            assertEquals(used.getString("model.activation"), p.getActivation(), who);
            assertEquals(used.getString("optimizer.name"), p.getOptimizer(), who);
            assertEquals(used.getDouble("optimizer.learning-rate"), p.getLearningRate(), who);
            assertEquals(used.getDouble("optimizer.learning-rate"), p.getStepSize(), who);
            assertEquals(used.getDouble("optimizer.tolerance"), p.getTol(), who);
            assertEquals(used.getInt("train.epochs"), p.getEpochs(), who);
            assertEquals(used.getInt("train.epochs"), p.getMaxIter(), who);
            assertArrayEquals(used.getIntList("model.hidden").stream().mapToInt(Integer::intValue).toArray(),
                    p.getHiddenLayers(), who);
            String solver = p.isSet(p.solver()) ? p.getOrDefault(p.solver())
                    : used.getString("optimizer.name").equals("lbfgs") ? "l-bfgs" : used.getString("optimizer.name");
            assertEquals(solver, p.getSolver(), who);
        }
    }

    @Test
    void gettersReportWhatTheFitUses() {
        Dataset<Row> rows = frame(blobs(60, 5));
        // Only MLlib's names: MLlib's sigmoid, l-bfgs, 0.03, and maxIter as the epochs.
        SparkpropClassifier mllib = new SparkpropClassifier().setLayers(new int[] {4, 5, 3}).setMaxIter(4);
        assertEquals("sigmoid", mllib.getActivation());
        assertEquals("lbfgs", mllib.getOptimizer());
        assertEquals(0.03, mllib.getLearningRate());
        assertEquals(4, mllib.getEpochs());
        assertArrayEquals(new int[] {5}, mllib.getHiddenLayers());
        assertGettersTell(mllib, mllib.fit(rows));
        // Nothing set: our defaults, whatever MLlib's params' defaults say.
        SparkpropClassifier ours = new SparkpropClassifier().setPartitions(1);
        assertEquals("relu", ours.getActivation());
        assertEquals(ours.getEpochs(), ours.getMaxIter());
        assertEquals("adam", ours.getSolver());
        assertGettersTell(ours, ours.fit(rows));
        // One of our names set: our defaults for the rest; MLlib's getters follow the twins.
        SparkpropClassifier mixed = new SparkpropClassifier().setLayers(new int[] {4, 3, 3}).setEpochs(3);
        assertEquals(3, mixed.getMaxIter());
        assertEquals("relu", mixed.getActivation());
        assertGettersTell(mixed, mixed.fit(rows));
        // gd is sgd; config's keys count where no param is set.
        SparkpropClassifier gd = new SparkpropClassifier().setLayers(new int[] {4, 3}).setSolver("gd").setMaxIter(2)
                .setConfig("model.activation = tanh\noptimizer.tolerance = 1e-3");
        assertEquals("sgd", gd.getOptimizer());
        assertEquals("gd", gd.getSolver());
        assertEquals(Integer.MAX_VALUE, gd.getBatchSize()); // the full batch: the fit cuts it to the rows
        assertEquals("tanh", gd.getActivation());
        assertEquals(1e-3, gd.getTol());
        assertGettersTell(gd, gd.fit(rows));
        // While two spellings disagree, the getters answer with the params' own values (fit fails naming them).
        SparkpropClassifier contradicting = new SparkpropClassifier().setEpochs(5).setMaxIter(7);
        assertEquals(5, contradicting.getEpochs());
        assertEquals(7, contradicting.getMaxIter());
    }
}
