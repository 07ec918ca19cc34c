// SplitMix64 against the JDK's own SplitMix64 generator (java.util.SplittableRandom), an independent implementation.
package io.sparkprop.trainer.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void nextIsTheFirstOutputOfSplittableRandomSeededWithTheState() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x5DEECE66DL}) {
            assertEquals(new SplittableRandom(seed).nextLong(), SplitMix64.next(seed), "seed " + seed);
        }
        // The published first output of SplitMix64 from state 0.
        assertEquals(0xE220A8397B1DCDAFL, SplitMix64.next(0));
    }

    @Test
    void nextIsMixOfTheAdvancedState() {
        for (long z = -5; z <= 5; z++) {
            assertEquals(SplitMix64.mix(z + SplitMix64.GAMMA), SplitMix64.next(z));
        }
    }

    @Test
    void uniformTakesTheTop53Bits() {
        assertEquals(0.0, SplitMix64.uniform(0));
        assertEquals(0.5, SplitMix64.uniform(Long.MIN_VALUE));
        double max = SplitMix64.uniform(-1L);
        assertTrue(max < 1.0 && max > 1.0 - 1e-15, "max " + max);
    }
}
