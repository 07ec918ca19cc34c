// Driver-held splits on a local master: the cached blocks are the placed rows, and close releases them.
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.config.StorageChoice;
import io.sparkprop.trainer.data.Dataset;

class DistributedDataTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** 7 rows × 2 features, x[r] = (r, 10 + r), y[r] = r mod 2. */
    static Dataset rows() {
        double[] x = new double[14];
        double[] y = new double[7];
        for (int r = 0; r < 7; r++) {
            x[2 * r] = r;
            x[2 * r + 1] = 10 + r;
            y[r] = r % 2;
        }
        return new Dataset(7, 2, 1, x, y, List.of("a", "b"));
    }

    @Test
    void row_g_isCachedInPartition_g_mod_P_andCloseReleasesTheBlocks() {
        DistributedData data = DistributedData.of(sc, rows(), rows().slice(0, 3), null, 3, StorageChoice.MEMORY_ONLY, "t");
        List<Block> blocks = data.train.collect();
        assertEquals(3, blocks.size());
        assertArrayEquals(new int[] {0, 3, 6}, blocks.get(0).globalId);
        assertArrayEquals(new double[] {0, 10, 3, 13, 6, 16}, blocks.get(0).x);
        assertArrayEquals(new double[] {0, 1, 0}, blocks.get(0).y);
        assertArrayEquals(new int[] {2, 5}, blocks.get(2).globalId);
        assertArrayEquals(new double[] {2, 12, 5, 15}, blocks.get(2).x);
        assertEquals(3, data.validation.map(Block::rows).reduce(Integer::sum));
        assertNull(data.test);
        data.close();
        // The cache is dropped and the rows handed to the tasks are released: recomputing fails loudly.
        assertThrows(Exception.class, () -> data.train.count());
    }

    @Test
    void chunkedSplitsShipOneBlockPerChunkAndPartitionUncached() {
        // Chunks of 4 rows: chunk 0 = rows 0..3, chunk 1 = rows 4..6; row g in partition g mod 3.
        DistributedData data = DistributedData.of(sc, rows(), rows().slice(0, 2), null, 3, StorageChoice.MEMORY_ONLY,
                "c", 4);
        List<Block> blocks = data.train.collect();
        assertEquals(4, data.chunkRows);
        assertEquals(3, data.partitions());
        assertEquals(6, blocks.size());
        assertArrayEquals(new int[] {0, 3}, blocks.get(0).globalId);
        assertArrayEquals(new double[] {0, 10, 3, 13}, blocks.get(0).x);
        assertArrayEquals(new int[] {6}, blocks.get(1).globalId);
        assertArrayEquals(new int[] {1}, blocks.get(2).globalId);
        assertArrayEquals(new int[] {4}, blocks.get(3).globalId);
        assertArrayEquals(new double[] {0}, blocks.get(3).y);
        // 2 validation rows: partition 2 has none, and one empty block stands for it.
        assertEquals(List.of(1, 1, 0), data.validation.map(Block::rows).collect());
        assertEquals(2, data.validationRows);
        assertTrue(sc.getPersistentRDDs().values().stream().noneMatch(r -> String.valueOf(r.name())
                .startsWith("sparkprop c ")), "nothing cached: the engine cuts and caches the chunks");
        data.close();
    }
}
