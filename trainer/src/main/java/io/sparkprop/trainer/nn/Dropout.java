// Inverted dropout with masks that are a pure function of (key, layer, row, unit): any partitioning agrees.
package io.sparkprop.trainer.nn;

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
            long rowKey = mix(key ^ mix(((long) layer << 32) ^ rowId[c]));
            for (int j = 0; j < units; j++) {
                int i = c * units + j;
                double m = p == 0 ? 1.0 : (uniform(mix(rowKey + j)) < p ? 0.0 : keep);
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
            long rowKey = mix(key ^ mix(((long) layer << 32) ^ rowId[c]));
            for (int j = 0; j < units; j++) {
                int i = c * units + j;
                float m = p == 0 ? 1.0f : (uniform(mix(rowKey + j)) < p ? 0.0f : keep);
                mask[i] = m;
                a[i] = h[i] * m;
            }
        }
    }

    /** SplitMix64 finaliser (Steele et al. 2014). */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
