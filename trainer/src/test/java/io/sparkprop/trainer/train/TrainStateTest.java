// Checkpoint encoding round-trips bit-exactly, and truncation or corruption is detected.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainStateTest {
    @TempDir
    Path tmp;

    static TrainState state(int epoch) {
        TrainState s = new TrainState("abc123", new double[] {1.5, -0.0, Double.MIN_VALUE}, new double[] {3, 4});
        s.nextEpoch = epoch;
        s.globalStep = 12345678901L;
        s.bestMetric = 0.75;
        s.bestEpoch = 2;
        s.stale = 1;
        s.bestParams = new double[] {9, 8, 7};
        return s;
    }

    @Test
    void encodeDecodeIsExact() {
        TrainState back = TrainState.decode(state(3).encode());
        assertEquals("abc123", back.configHash);
        assertEquals(3, back.nextEpoch);
        assertEquals(12345678901L, back.globalStep);
        assertArrayEquals(new double[] {1.5, -0.0, Double.MIN_VALUE}, back.params);
        assertArrayEquals(new double[] {3, 4}, back.optimizerState);
        assertArrayEquals(new double[] {9, 8, 7}, back.bestParams);
        assertEquals(0.75, back.bestMetric);
        assertEquals(2, back.bestEpoch);
        assertEquals(1, back.stale);
    }

    @Test
    void truncatedOrFlippedCheckpointsAreRejected() {
        byte[] b = state(1).encode();
        assertThrows(IllegalArgumentException.class, () -> TrainState.decode(Arrays.copyOf(b, b.length - 5)));
        b[20] ^= 4;
        assertThrows(IllegalArgumentException.class, () -> TrainState.decode(b));
    }

    @Test
    void theStoreFallsBackToTheLastValidCheckpoint() throws Exception {
        LocalCheckpointStore store = new LocalCheckpointStore(tmp);
        store.save(state(1));
        store.save(state(2));
        store.save(state(3));
        try (var files = Files.list(tmp)) {
            assertEquals(LocalCheckpointStore.KEEP, files.count());
        }
        Path newest = tmp.resolve(LocalCheckpointStore.fileName(3));
        Files.write(newest, Arrays.copyOf(Files.readAllBytes(newest), 40)); // a torn write
        assertEquals(2, store.latest().nextEpoch);
    }
}
