// HadoopCheckpointStore: atomic writes through the Hadoop FileSystem API, newest valid checkpoint wins.
package io.sparkprop.spark.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.train.TrainState;

class HadoopCheckpointStoreTest {
    @TempDir
    Path tmp;

    private static TrainState state(int epoch) {
        TrainState s = new TrainState("hash", new double[] {epoch, 0.5, -1}, new double[] {1, 2});
        s.nextEpoch = epoch;
        s.globalStep = 10L * epoch;
        return s;
    }

    private List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void savesAtomicallyKeepsTwoAndReadsTheNewest() throws Exception {
        Path out = tmp.resolve("run");
        HadoopCheckpointStore store = new HadoopCheckpointStore(HadoopCheckpointStore.resolve("", out),
                new Configuration());
        assertNull(store.latest());
        for (int e = 1; e <= 3; e++) store.save(state(e));
        Path dir = out.resolve("checkpoints");
        // No .crc side files, no temporaries, the last two epochs only.
        assertEquals(List.of("checkpoint-000002.bin", "checkpoint-000003.bin"), names(dir));
        TrainState s = store.latest();
        assertEquals(3, s.nextEpoch);
        assertArrayEquals(new double[] {3, 0.5, -1}, s.params);
        // Same bytes as the local store writes.
        assertArrayEquals(state(3).encode(), Files.readAllBytes(dir.resolve("checkpoint-000003.bin")));
    }

    @Test
    void skipsACorruptNewestAndALeftoverTemporary() throws Exception {
        Path dir = tmp.resolve("ck");
        HadoopCheckpointStore store = new HadoopCheckpointStore(dir.toUri().toString(), new Configuration());
        store.save(state(1));
        store.save(state(2));
        Files.write(dir.resolve("checkpoint-000002.bin"), new byte[] {1, 2, 3});
        Files.write(dir.resolve(".checkpoint-000003.bin.x.tmp"), new byte[] {9});
        assertEquals(1, store.latest().nextEpoch);
        store.save(state(2));
        assertEquals(2, store.latest().nextEpoch);
        assertTrue(names(dir).stream().noneMatch(n -> n.endsWith(".tmp")));
    }

    @Test
    void resolvesPathsAndUris() {
        Path out = Path.of("/data/run");
        assertEquals("file:///data/run/checkpoints", HadoopCheckpointStore.resolve("", out));
        assertEquals("hdfs://nn:8020/ck", HadoopCheckpointStore.resolve("hdfs://nn:8020/ck", out));
        assertEquals("file:/abs/ck", HadoopCheckpointStore.resolve("file:/abs/ck", out));
        assertTrue(HadoopCheckpointStore.resolve("rel/ck", out).startsWith("file:///"));
    }
}
