// The optimizer update (Adam) on the calling thread vs cut into ranges on all cores (PoolLanes), per θ size.
package io.sparkprop.bench;

import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.optim.Adam;
import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.PoolLanes;

/**
 * Prints, for |θ| of 65k, 235k (the Fashion-MNIST network) and 4M values, the best-of-5 milliseconds of one
 * Updater.apply (mean, norm, Adam) serially and on PoolLanes over every core, and
 *   ratio update-lanes-vs-serial-pN   serial ÷ lanes time (above 1: the lanes pay; PoolLanes.MIN_PARAMS sits
 *                                     between the sizes where they do not and where they do)
 */
public final class UpdateLanes {
    private UpdateLanes() {
    }

    public static void main(String[] args) {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int size : new int[] {65_536, 235_146, 4_000_000}) {
            ParamLayout layout = new ParamLayout(new int[] {size, 1}); // W: (1 × size), b: (1)
            int p = layout.size();
            double[] ms = new double[2];
            try (PoolLanes pool = PoolLanes.ofThreads(cores, "bench-lanes")) {
                for (int mode = 0; mode < 2; mode++) {
                    Lanes lanes = mode == 0 ? Lanes.SERIAL : pool;
                    Updater u = new Updater(new Adam(p), Schedule.of(ScheduleSpec.constant(1e-3), 100, 100), layout,
                            0, 0);
                    double[] w = new double[p];
                    double[] g = new double[p];
                    long best = Long.MAX_VALUE;
                    int n = Math.max(20, 200_000_000 / p);
                    for (int r = 0; r < 5; r++) {
                        long t0 = System.nanoTime();
                        for (int k = 0; k < n; k++) {
                            g[k % p] = 1e-3;
                            u.apply(w, g, 256, k, lanes);
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / n);
                    }
                    ms[mode] = best / 1e6;
                }
            }
            System.out.printf("update p=%d serial_ms=%.3f lanes_ms=%.3f lanes=%d%n", p, ms[0], ms[1], cores);
            System.out.printf("ratio update-lanes-vs-serial-p%d=%.2f%n", p, ms[0] / ms[1]);
        }
    }
}
