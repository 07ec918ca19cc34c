// Successive halving: the rung schedule, and which trials a rung promotes.
package io.sparkprop.trainer.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SweepHalvingTest {
    private static final Metric ACC = new Metric("val_accuracy", true);
    private static final Metric LOSS = new Metric("val_loss", false);

    @Test
    void rungsGrowByEtaUpToTheBudget() {
        assertEquals(List.of(2, 6, 18, 30), SuccessiveHalving.rungs(2, 3, 30));
        assertEquals(List.of(1, 2, 4, 8), SuccessiveHalving.rungs(1, 2, 8));
        assertEquals(List.of(5, 6), SuccessiveHalving.rungs(5, 3, 6));
    }

    @Test
    void bestOneOverEtaContinueInOriginalOrder() {
        List<double[]> rung = List.of(new double[] {0, 0.70}, new double[] {1, 0.95}, new double[] {2, 0.60},
                new double[] {3, 0.90}, new double[] {4, Double.NaN}, new double[] {5, 0.80});
        assertEquals(List.of(1.0, 3.0), ids(SuccessiveHalving.promote(rung, r -> r[1], ACC, 3)));
        assertEquals(List.of(1.0, 3.0, 5.0), ids(SuccessiveHalving.promote(rung, r -> r[1], ACC, 2)));
        // Minimising: the smallest values; NaN still ranks last.
        assertEquals(List.of(0.0, 2.0), ids(SuccessiveHalving.promote(rung, r -> r[1], LOSS, 3)));
    }

    @Test
    void atLeastOneContinuesAndTiesGoToTheEarlierTrial() {
        List<double[]> rung = List.of(new double[] {0, 0.5}, new double[] {1, 0.9}, new double[] {2, 0.9});
        assertEquals(List.of(1.0), ids(SuccessiveHalving.promote(rung, r -> r[1], ACC, 4)));
    }

    private static List<Double> ids(List<double[]> rows) {
        return rows.stream().map(r -> r[0]).toList();
    }
}
