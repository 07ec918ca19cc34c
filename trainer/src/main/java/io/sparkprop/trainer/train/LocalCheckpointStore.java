// Checkpoints as files in a local directory: checkpoint-<epoch>.bin, the newest valid one wins.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.sparkprop.trainer.io.AtomicFiles;

/** Keeps the last {@link #KEEP} checkpoints so one damaged file still leaves an older one to resume from. */
public final class LocalCheckpointStore implements CheckpointStore {
    static final int KEEP = 2;
    private final Path dir;

    public LocalCheckpointStore(Path dir) {
        this.dir = dir;
    }

    public static String fileName(int epochsDone) {
        return String.format("checkpoint-%06d.bin", epochsDone);
    }

    @Override
    public void save(TrainState state) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeBytes(dir.resolve(fileName(state.nextEpoch)), state.encode());
        List<Path> all = list();
        for (int i = 0; i < all.size() - KEEP; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    @Override
    public TrainState latest(Consumer<String> skipped) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return TrainState.decode(Files.readAllBytes(all.get(i)));
            } catch (IllegalArgumentException corrupt) {
                skipped.accept(all.get(i).getFileName() + ": " + corrupt.getMessage()); // falls back to the previous
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.bin")).sorted().toList();
        }
    }
}
