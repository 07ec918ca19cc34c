// Where checkpoints go: a local folder here, any Hadoop file system in the Spark module.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Implementations write atomically (temporary name, then rename) so a crash or a full disk never leaves a
 * corrupt checkpoint visible, and the previous one stays usable.
 */
public interface CheckpointStore {

    /** Writes the state as the checkpoint after epoch {@code state.nextEpoch - 1}. */
    void save(TrainState state) throws IOException;

    /**
     * The newest checkpoint that decodes and verifies, or null when there is none. Each newer checkpoint that did
     * not is passed to {@code skipped} as "NAME: why", newest first, so a resume can say it fell back.
     */
    TrainState latest(Consumer<String> skipped) throws IOException;

    /** {@link #latest(Consumer)} without the report. */
    default TrainState latest() throws IOException {
        return latest(s -> { });
    }

    /** No checkpoints at all. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public void save(TrainState state) {
        }

        @Override
        public TrainState latest(Consumer<String> skipped) {
            return null;
        }
    };
}
