// auto's wait for executors on a cluster: until the slots suffice, the count settles for 3 s, or the limit.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

class ProtocolChoiceWaitTest {
    /** A clock that moves only when the wait sleeps, and slots that register at given times (ms). */
    static final class Fake implements ProtocolChoice.Clock, IntSupplier {
        long now;
        final long[] at;
        final int[] count;

        /** count[k] slots from time at[k] on (at[0] = 0). */
        Fake(long[] at, int[] count) {
            this.at = at;
            this.count = count;
        }

        @Override
        public long nowMs() {
            return now;
        }

        @Override
        public void sleepMs(long ms) {
            now += ms;
        }

        @Override
        public int getAsInt() {
            int c = count[0];
            for (int k = 0; k < at.length; k++) if (now >= at[k]) c = count[k];
            return c;
        }
    }

    static final long LIMIT = 30_000;

    @Test
    void enoughSlotsAtOnceMeansNoWait() {
        Fake f = new Fake(new long[] {0}, new int[] {4});
        assertEquals(4, ProtocolChoice.awaitSlots(f, 2, LIMIT, f));
        assertEquals(0, f.now);
    }

    @Test
    void aLateExecutorIsAwaitedAndTheWaitEndsWhenItRegisters() {
        Fake f = new Fake(new long[] {0, 2000}, new int[] {1, 2});
        assertEquals(2, ProtocolChoice.awaitSlots(f, 2, LIMIT, f));
        assertEquals(2000, f.now);
    }

    @Test
    void aCountUnchangedForThreeSecondsEndsTheWaitShortOfTheSlots() {
        Fake f = new Fake(new long[] {0}, new int[] {1});
        assertEquals(1, ProtocolChoice.awaitSlots(f, 2, LIMIT, f));
        assertEquals(ProtocolChoice.SETTLE_MS, f.now);
    }

    @Test
    void eachNewExecutorRestartsTheThreeSeconds() {
        Fake f = new Fake(new long[] {0, 2500, 5000}, new int[] {1, 2, 3});
        assertEquals(3, ProtocolChoice.awaitSlots(f, 4, LIMIT, f));
        assertEquals(5000 + ProtocolChoice.SETTLE_MS, f.now);
    }

    @Test
    void withNoExecutorYetOnlyTheLimitEndsTheWait() {
        Fake f = new Fake(new long[] {0}, new int[] {0});
        assertEquals(0, ProtocolChoice.awaitSlots(f, 2, LIMIT, f));
        assertEquals(LIMIT, f.now);
    }

    @Test
    void theLimitCutsAWaitThatKeepsChanging() {
        // A new executor every 2 s never lets the count settle; the 30 s limit still ends the wait.
        long[] at = new long[20];
        int[] count = new int[20];
        for (int k = 0; k < at.length; k++) {
            at[k] = 2000L * k;
            count[k] = k + 1;
        }
        Fake f = new Fake(at, count);
        assertEquals(16, ProtocolChoice.awaitSlots(f, 100, LIMIT, f));
        assertEquals(LIMIT, f.now);
    }
}
