// Weighted metrics: a row weighted 2 scores as that row twice, all-ones weights as no weights, as Spark's
// MulticlassMetrics / RegressionMetrics weight by a weight column.
package io.sparkprop.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.Output;

class WeightedMetricsTest {
    static final Dataset DATA = Builtins.spirals(40, 3, 0.3, 2);

    static Metrics evaluate(Network net, Dataset d) {
        double[] theta = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), theta, 3);
        return new Evaluator(net, net.newWorkspace(new OjAlgoGemm())).evaluate(theta, d);
    }

    /** Weight 2 on every third row, and the table with those rows repeated. */
    static Dataset[] weightedAndRepeated(Dataset d) {
        double[] w = new double[d.rows];
        int[] rows = new int[d.rows + (d.rows + 2) / 3];
        int n = 0;
        for (int r = 0; r < d.rows; r++) {
            w[r] = r % 3 == 0 ? 2.0 : 1.0;
            rows[n++] = r;
            if (r % 3 == 0) rows[n++] = r;
        }
        return new Dataset[] {d.withWeights(w), d.select(rows)};
    }

    @Test
    void classificationWeightsCountRowsAsRepeats() {
        Network net = new Network(new int[] {2, 8, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        Dataset[] d = weightedAndRepeated(DATA);
        Metrics weighted = evaluate(net, d[0]);
        Metrics repeated = evaluate(net, d[1]);
        assertEquals(repeated.totalWeight(), weighted.totalWeight());
        assertEquals(DATA.rows, weighted.rows());
        assertEquals(repeated.accuracy(), weighted.accuracy(), 1e-12);
        assertEquals(repeated.loss(), weighted.loss(), 1e-12);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(repeated.confusion()[c], weighted.confusion()[c], 1e-12);
            assertEquals(repeated.recall(c), weighted.recall(c), 1e-12);
        }
        assertNotEquals(evaluate(net, DATA).loss(), weighted.loss(), "the weights must change the metric");
        double[] ones = new double[DATA.rows];
        Arrays.fill(ones, 1.0);
        Metrics plain = evaluate(net, DATA);
        Metrics allOnes = evaluate(net, DATA.withWeights(ones));
        assertEquals(plain.loss(), allOnes.loss());
        assertEquals(plain.accuracy(), allOnes.accuracy());
    }

    @Test
    void regressionWeightsCountRowsAsRepeats() {
        double[] y = new double[DATA.rows];
        for (int r = 0; r < y.length; r++) y[r] = DATA.x[2 * r] * 0.7 - DATA.x[2 * r + 1];
        Dataset reg = new Dataset(DATA.rows, 2, 1, DATA.x, y, null);
        Network net = new Network(new int[] {2, 6, 1}, Activation.TANH, Output.IDENTITY, Loss.MSE, 0.0, false);
        Dataset[] d = weightedAndRepeated(reg);
        Metrics weighted = evaluate(net, d[0]);
        Metrics repeated = evaluate(net, d[1]);
        assertEquals(repeated.rmse(), weighted.rmse(), 1e-12);
        assertEquals(repeated.mae(), weighted.mae(), 1e-12);
        assertEquals(repeated.r2(), weighted.r2(), 1e-12);
        assertEquals(repeated.loss(), weighted.loss(), 1e-12);
        assertNotEquals(evaluate(net, reg).r2(), weighted.r2());
    }

    @Test
    void classWeightsShapeTrainingNotMetrics() {
        Network net = new Network(new int[] {2, 8, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        Metrics plain = evaluate(net, DATA);
        Metrics classWeighted = evaluate(net, DATA.withClassWeights(new double[] {5, 1, 1}));
        assertEquals(plain.loss(), classWeighted.loss());
        assertEquals(plain.accuracy(), classWeighted.accuracy());
    }
}
