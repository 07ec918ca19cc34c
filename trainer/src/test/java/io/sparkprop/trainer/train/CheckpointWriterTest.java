// The training loop's checkpoint writer: it returns before the disk does, writes what save saw, and fails loudly.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.UserError;

class CheckpointWriterTest {
    /** A store whose writes wait for {@code open}; keeps each written state's bytes. */
    static final class GatedStore implements CheckpointStore {
        final CountDownLatch open = new CountDownLatch(1);
        final List<byte[]> written = new ArrayList<>();
        IOException failWith;

        @Override
        public void save(TrainState state) throws IOException {
            try {
                assertTrue(open.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failWith != null) throw failWith;
            synchronized (written) {
                written.add(state.encode());
            }
        }

        @Override
        public TrainState latest(java.util.function.Consumer<String> skipped) {
            return null;
        }
    }

    static TrainState state(int epoch) {
        TrainState s = new TrainState("h", new double[] {1, 2, 3}, new double[] {4, 5});
        s.nextEpoch = epoch;
        s.globalStep = 10L * epoch;
        return s;
    }

    @Test
    void saveReturnsBeforeTheWriteAndTheWriteHasTheStateAsSaveSawIt() {
        GatedStore store = new GatedStore();
        TrainState s = state(1);
        byte[] expected = s.encode();
        try (CheckpointWriter w = new CheckpointWriter(store)) {
            w.save(s); // the store is still closed: had save written itself, this would hang
            s.params[0] = 99; // the next epoch changes θ in place
            s.nextEpoch = 2;
            synchronized (store.written) {
                assertTrue(store.written.isEmpty());
            }
            store.open.countDown();
            w.finish();
        }
        assertEquals(1, store.written.size());
        assertArrayEquals(expected, store.written.get(0));
    }

    @Test
    void aFailedWriteStopsTheRunAtTheNextSaveNamingItsEpoch() {
        GatedStore store = new GatedStore();
        store.failWith = new IOException("File too large");
        store.open.countDown();
        try (CheckpointWriter w = new CheckpointWriter(store)) {
            w.save(state(3));
            UserError e = assertThrows(UserError.class, () -> w.save(state(4)));
            assertEquals("checkpoint.dir: cannot write the checkpoint after epoch 3 (File too large); the previous"
                    + " checkpoint is kept", e.getMessage());
        }
        assertTrue(store.written.isEmpty(), "epoch 4's write never started");
    }

    @Test
    void finishRaisesTheLastWritesFailureButCloseOnAnErrorPathDoesNot() {
        GatedStore store = new GatedStore();
        store.failWith = new IOException("disk gone");
        store.open.countDown();
        CheckpointWriter w = new CheckpointWriter(store);
        w.save(state(5));
        assertThrows(UserError.class, w::finish);
        w.save(state(6));
        w.close(); // a run already failing with its own error: this one is not raised over it
        assertFalse(store.written.size() > 0);
    }
}
