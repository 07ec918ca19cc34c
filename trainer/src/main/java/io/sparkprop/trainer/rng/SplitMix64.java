// SplitMix64 (Steele, Lea & Flood 2014): the one stateless 64-bit hash behind every draw that must not depend on
// the order rows are visited in — batch permutations, dropout masks, Spark's validation split.
package io.sparkprop.trainer.rng;

/** Pure functions of their argument, so any engine, partitioning or retry computes the same bits. */
public final class SplitMix64 {
    /** The generator's increment, 2⁶⁴/φ rounded to odd. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix64() {
    }

    /** The finaliser alone (Stafford's Mix13): a bijection of the 64-bit words with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The generator's output for state {@code z}: the finaliser of z + GAMMA. */
    public static long next(long z) {
        return mix(z + GAMMA);
    }

    /** The top 53 bits as a double in [0, 1). */
    public static double uniform(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
