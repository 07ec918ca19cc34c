// Writes the training loop's checkpoints on a thread of its own, so the next epoch does not wait for the disk.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.sparkprop.trainer.UserError;

/**
 * Encoding a checkpoint (θ and the optimizer's moments, with a sha256) and syncing it to disk takes 50–120 ms
 * here for a 200k-parameter network, a sizeable part of a short epoch. {@link #save} hands a
 * {@link TrainState#snapshot} to the writer thread. At most one write is in flight: the next save, and
 * {@link #finish}, first wait for it, so a failed write (full disk, lost permissions) stops the run at the next
 * checkpoint or at the run's end, naming the epoch whose checkpoint failed. The store's atomic writes keep the previous checkpoint usable meanwhile.
 */
final class CheckpointWriter implements AutoCloseable {
    private final CheckpointStore store;
    private ExecutorService thread;
    private Future<?> pending;
    private int pendingEpoch;

    CheckpointWriter(CheckpointStore store) {
        this.store = store;
    }

    /** Starts writing a snapshot of {@code state} once the previous write has succeeded. */
    void save(TrainState state) {
        finish();
        if (store == CheckpointStore.NONE) {
            return;
        }
        TrainState snapshot = state.snapshot();
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sparkprop-checkpoint");
                t.setDaemon(true);
                return t;
            });
        }
        pendingEpoch = snapshot.nextEpoch;
        pending = thread.submit(() -> {
            store.save(snapshot);
            return null;
        });
    }

    /** Waits for the write in flight; its failure becomes the run's (one line naming checkpoint.dir). */
    void finish() {
        if (pending == null) {
            return;
        }
        Future<?> f = pending;
        pending = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the checkpoint after epoch " + pendingEpoch, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                throw new UserError("checkpoint.dir: cannot write the checkpoint after epoch " + pendingEpoch + " ("
                        + cause.getMessage() + "); the previous checkpoint is kept", cause);
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    /**
     * Waits for the write in flight without raising its failure (the run is already ending with an error of its
     * own, which must not be masked), then stops the thread.
     */
    @Override
    public void close() {
        try {
            finish();
        } catch (RuntimeException ignored) {
            // The run's own error is the one to report.
        } finally {
            if (thread != null) {
                thread.shutdown();
            }
        }
    }
}
