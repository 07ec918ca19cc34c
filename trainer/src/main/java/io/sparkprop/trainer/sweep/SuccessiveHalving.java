// Synchronous successive halving: the rung schedule (epochs) and which trials a rung promotes.
package io.sparkprop.trainer.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every configuration trains {@code min-epochs}; the best ⌊n/η⌋ (at least one) continue from their checkpoints
 * to min·η epochs, and so on, until train.epochs. Promotion waits for the whole rung, so the decision does not
 * depend on which trial happened to finish first (asynchronous variants promote a trial that runs alone).
 */
public final class SuccessiveHalving {
    private SuccessiveHalving() {
    }

    /** min, min·η, min·η², ... below maxEpochs, then maxEpochs itself. */
    public static List<Integer> rungs(int minEpochs, int eta, int maxEpochs) {
        List<Integer> r = new ArrayList<>();
        for (long e = minEpochs; e < maxEpochs; e *= eta) {
            r.add((int) e);
        }
        r.add(maxEpochs);
        return r;
    }

    /**
     * The ⌊n/η⌋ best of {@code rung} (at least one), returned in their original order. Ties go to the earlier
     * trial; a NaN metric (e.g. a diverged trial) ranks last.
     */
    public static <T> List<T> promote(List<T> rung, ToDoubleFunction<T> metric, Metric goal, int eta) {
        int keep = Math.max(1, rung.size() / eta);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rung.size(); i++) order.add(i);
        Comparator<Integer> byMetric = (a, b) -> {
            double x = metric.applyAsDouble(rung.get(a));
            double y = metric.applyAsDouble(rung.get(b));
            return goal.better(x, y) ? -1 : goal.better(y, x) ? 1 : 0;
        };
        order.sort(byMetric.thenComparing(Comparator.naturalOrder()));
        List<Integer> kept = new ArrayList<>(order.subList(0, Math.min(keep, order.size())));
        kept.sort(Comparator.naturalOrder());
        List<T> out = new ArrayList<>();
        for (int i : kept) out.add(rung.get(i));
        return out;
    }
}
