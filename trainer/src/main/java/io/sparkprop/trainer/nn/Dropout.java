// Inverted dropout with masks that are a pure function of (key, layer, row, unit): any partitioning agrees.
package io.sparkprop.trainer.nn;

import static io.sparkprop.trainer.rng.SplitMix64.next;
import static io.sparkprop.trainer.rng.SplitMix64.uniform;

/**
 * Training multiplies each hidden unit by 0 (probability p) or 1/(1−p), so evaluation needs no rescaling.
 * The draw for (row, unit) comes from a SplitMix64 hash instead of a sequential RNG: the Spark engine,
 * which splits a batch across partitions in any order, then computes exactly the local trainer's masks.
 */
final class Dropout {
    private Dropout() {
    }

    /** a = h ⊙ mask; with p = 0 the mask is all ones (evaluation). */
    static void apply(double[] a, double[] mask, double[] h, int units, int n, double p, long key, int layer,
                      int[] rowId) {
        double keep = 1.0 / (1.0 - p);
        for (int c = 0; c < n; c++) {
            long rowKey = next(key ^ next(((long) layer << 32) ^ rowId[c]));
            for (int j = 0; j < units; j++) {
                int i = c * units + j;
                double m = p == 0 ? 1.0 : (uniform(next(rowKey + j)) < p ? 0.0 : keep);
                mask[i] = m;
                a[i] = h[i] * m;
            }
        }
    }

    /** The float twin: the same draws (so the same masks as the double path), stored as floats. */
    static void apply(float[] a, float[] mask, float[] h, int units, int n, double p, long key, int layer,
                      int[] rowId) {
        float keep = (float) (1.0 / (1.0 - p));
        for (int c = 0; c < n; c++) {
            long rowKey = next(key ^ next(((long) layer << 32) ^ rowId[c]));
            for (int j = 0; j < units; j++) {
                int i = c * units + j;
                float m = p == 0 ? 1.0f : (uniform(next(rowKey + j)) < p ? 0.0f : keep);
                mask[i] = m;
                a[i] = h[i] * m;
            }
        }
    }
}
