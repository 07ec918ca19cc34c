// Driver-held splits on a local master: the cached blocks are the placed rows, and close releases them.
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;
import io.sparkprop.spark.infra.SparkContexts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
