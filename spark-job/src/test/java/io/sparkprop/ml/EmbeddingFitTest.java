// Embeddings through Spark ML: StringIndexer (handleInvalid = keep) + VectorAssembler metadata gives the
// categorical slots and cardinalities, an unseen category scores through the reserved row, and the params
// stand in for metadata; a saved model keeps its slots.
package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.Categorical;

class EmbeddingFitTest extends MllibFrames {
    static final String[] COLORS = {"red", "green", "blue"};
    static final String LAYERS = "model.layers = [{type = embedding, dim = 2}, {type = dense, units = 6,"
            + " activation = tanh}], train.epochs = 60, optimizer.learning-rate = 0.05, train.batch-size = 16";

    /** x1, color, x2 and a label (color index + [x1 > 0]) mod 3; {@code extra} rows of an unseen "purple". */
    static Dataset<Row> raw(int rows, long seed, String... extra) {
        Random r = new Random(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            double x1 = r.nextDouble() * 2 - 1;
            out.add(RowFactory.create(x1, i < extra.length ? extra[i] : COLORS[c], r.nextDouble(),
                    (double) ((c + (x1 > 0 ? 1 : 0)) % 3)));
        }
        StructType s = new StructType().add("x1", DataTypes.DoubleType).add("color", DataTypes.StringType)
                .add("x2", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(out, s).repartition(2);
    }

    static StringIndexerModel indexer(Dataset<Row> train) {
        return new StringIndexer().setInputCol("color").setOutputCol("colorIdx").setHandleInvalid("keep")
                .setStringOrderType("alphabetAsc").fit(train);
    }

    static Dataset<Row> assembled(StringIndexerModel idx, Dataset<Row> raw) {
        return new VectorAssembler().setInputCols(new String[]{"x1", "colorIdx", "x2"}).setOutputCol("features")
                .transform(idx.transform(raw));
    }

    @Test
    void stringIndexerKeepMetadataGivesTheSlotsAndAnUnseenColorScores() throws Exception {
        Dataset<Row> train = raw(150, 1);
        StringIndexerModel idx = indexer(train);
        Dataset<Row> frame = assembled(idx, train);
        Categorical c = NominalSlots.fromMetadata(frame.schema(), "features", "fit");
        assertArrayEquals(new int[]{1}, c.slots());
        assertArrayEquals(new int[]{3}, c.cardinalities()); // red, green, blue; "__unknown" is the reserved row

        SparkpropClassificationModel m = new SparkpropClassifier().setConfig(LAYERS).setSeed(3L).fit(frame);
        assertArrayEquals(new int[]{3}, m.sparkpropModel().net().stack.categorical().cardinalities());
        long right = m.transform(frame).filter("prediction = label").count();
        assertTrue(right > 0.9 * 150, right + " of 150 right");

        Dataset<Row> unseen = assembled(idx, raw(6, 2, "purple", "purple"));
        long reserved = unseen.select("features").collectAsList().stream()
                .filter(r -> ((Vector) r.get(0)).apply(1) == 3.0).count();
        assertEquals(2, reserved, "StringIndexer's keep index for purple");
        assertEquals(6, m.transform(unseen).filter("prediction >= 0").count());

        // saved and loaded, the model keeps its slots and scores the same
        String dir = tmp.resolve("embedding-model").toString();
        m.write().save(dir);
        SparkpropClassificationModel back = SparkpropClassificationModel.load(dir);
        assertArrayEquals(new int[]{1}, back.sparkpropModel().net().stack.categorical().slots());
        assertEquals(m.transform(unseen).select("prediction").sort("prediction").collectAsList(),
                back.transform(unseen).select("prediction").sort("prediction").collectAsList());
    }

    @Test
    void theParamsStandInForMetadataAndAreChecked() {
        Dataset<Row> train = raw(60, 4);
        Dataset<Row> plain = frame(train.select("label", "x1", "x2").collectAsList().stream()
                .map(r -> new double[]{r.getDouble(0), r.getDouble(1), r.getDouble(2) > 0.5 ? 1 : 0})
                .toArray(double[][]::new), 2);
        SparkpropClassifier c = new SparkpropClassifier().setConfig(LAYERS.replace("60", "2"))
                .setCategoricalSlots(1).setCategoricalCardinalities(2);
        SparkpropClassificationModel m = c.fit(plain);
        assertArrayEquals(new int[]{1}, m.sparkpropModel().net().stack.categorical().slots());
        assertArrayEquals(new int[]{2}, m.sparkpropModel().net().stack.categorical().cardinalities());

        String e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setConfig(LAYERS)
                .setCategoricalSlots(1, 0).setCategoricalCardinalities(2).fit(plain)).getMessage();
        assertTrue(e.contains("parameter categoricalCardinalities: 1 values for 2 categoricalSlots"), e);
        e = assertThrows(IllegalArgumentException.class, () -> new SparkpropClassifier().setCategoricalSlots(1)
                .setCategoricalCardinalities(2).fit(plain)).getMessage();
        assertTrue(e.contains("parameter categoricalSlots: needs model.layers to start with"), e);
    }
}
