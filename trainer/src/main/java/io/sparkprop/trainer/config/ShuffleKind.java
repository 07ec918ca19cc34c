// train.shuffle: how each epoch orders the training rows; the batch plan of every engine follows it.
package io.sparkprop.trainer.config;

import java.util.Locale;

/** {@link #id()} is the config spelling (see reference.conf for what each does). */
public enum ShuffleKind {
    /** one permutation of all rows per epoch: a batch draws from the whole set. */
    ROWS(false),
    /**
     * the order of train.chunk-rows-sized chunks of consecutive rows is shuffled, then the rows inside each chunk:
     * an epoch walks one chunk at a time, so an engine needs only the chunk in use (and the next) at hand.
     */
    CHUNKS(true);

    private final boolean chunked;

    ShuffleKind(boolean chunked) {
        this.chunked = chunked;
    }

    /** Whether an epoch visits the rows chunk by chunk. */
    public boolean chunked() {
        return chunked;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
