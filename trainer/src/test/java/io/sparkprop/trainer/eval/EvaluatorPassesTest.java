// Evaluator passes: rows evaluated in the same passes of CHUNK rows, in the same order, add the same bits, whether
// they are read from the whole table or from copies of its pieces (what Spark's chunk blocks rely on).
package io.sparkprop.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.kernel.OjAlgoGemm;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;

class EvaluatorPassesTest {
    @Test
    void passesOverPiecesAddTheBitsOfTheWholeTable() {
        Dataset d = Builtins.spirals(450, 3, 0.3, 4); // 1350 rows: passes [0, 512), [512, 1024), [1024, 1350)
        double[] w = new double[d.rows];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < w.length; i++) w[i] = 0.5 + r.nextDouble();
        d = d.withWeights(w);
        Network net = new Network(new int[] {2, 16, 3}, Activation.TANH, Loss.SOFTMAX_CROSS_ENTROPY, 0.0);
        double[] theta = new double[net.paramCount()];
        Init.XAVIER.fill(net.layout(), theta, 5);
        Evaluator ev = new Evaluator(net, net.newWorkspace(new OjAlgoGemm()));
        double[] whole = ev.addTo(Metrics.newStats(net), theta, d);
        assertEquals(d.rows, whole[whole.length - 1]);

        double[] ranges = Metrics.newStats(net);
        for (int from = 0; from < d.rows; from += Evaluator.CHUNK) {
            ev.addTo(ranges, theta, d, from, Math.min(d.rows, from + Evaluator.CHUNK));
        }
        assertArrayEquals(whole, ranges);

        // Each pass copied out first (a table of its own rows, read from row 0), as a pass spanning chunks is.
        double[] copies = Metrics.newStats(net);
        for (int from = 0; from < d.rows; from += Evaluator.CHUNK) {
            Dataset piece = d.slice(from, Math.min(d.rows, from + Evaluator.CHUNK));
            ev.addTo(copies, theta, piece, 0, piece.rows);
        }
        assertArrayEquals(whole, copies);
    }
}
