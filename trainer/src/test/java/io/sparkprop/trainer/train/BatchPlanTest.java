// The batch plan's two shuffles: every row once per epoch, a pure function of (seed, epoch), and the chunk
// shuffle's walk of one chunk at a time.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.config.TrainConfig;

class BatchPlanTest {

    @Test
    void bothShufflesVisitEveryRowOncePerEpochAndRepeatForTheSameSeed() {
        for (BatchPlan plan : List.of(new BatchPlan(1003, 32, 7), BatchPlan.chunked(1003, 32, 7, 100))) {
            for (int e = 0; e < 3; e++) {
                int[] perm = plan.permutation(e);
                int[] sorted = perm.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i], "row " + i + ", epoch " + e);
                assertArrayEquals(perm, plan.permutation(e), "a pure function of (seed, epoch)");
            }
            assertFalse(Arrays.equals(plan.permutation(0), plan.permutation(1)), "epochs differ");
        }
    }

    @Test
    void theChunkShuffleWalksOneChunkAtATimeInAShuffledOrderOfChunks() {
        int rows = 1003;
        int chunk = 100;
        BatchPlan plan = BatchPlan.chunked(rows, 32, 7, chunk);
        assertEquals(11, plan.chunks());
        Set<List<Integer>> chunkOrders = new HashSet<>();
        for (int e = 0; e < 4; e++) {
            int[] perm = plan.permutation(e);
            List<Integer> visited = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                int c = plan.chunkOf(perm[i]);
                if (visited.isEmpty() || visited.get(visited.size() - 1) != c) {
                    assertFalse(visited.contains(c), "chunk " + c + " visited twice in epoch " + e);
                    visited.add(c);
                }
            }
            assertEquals(plan.chunks(), visited.size());
            chunkOrders.add(visited);
            // Inside a chunk the rows are shuffled too: not in ascending order.
            int first = visited.get(0);
            int size = Math.min(rows, (first + 1) * chunk) - first * chunk;
            int[] head = Arrays.copyOf(perm, size);
            int[] ascending = head.clone();
            Arrays.sort(ascending);
            assertFalse(Arrays.equals(head, ascending), "rows inside chunk " + first + " are shuffled");
        }
        assertTrue(chunkOrders.size() > 1, "the order of the chunks changes between epochs");
    }

    @Test
    void aStepSpansAtMostTwoChunksWhenChunksHoldAtLeastABatch() {
        BatchPlan plan = BatchPlan.chunked(5000, 64, 3, 300);
        for (int e = 0; e < 3; e++) {
            int[] perm = plan.permutation(e);
            for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                Set<Integer> chunks = new HashSet<>();
                for (int i = plan.batchStart(s); i < plan.batchEnd(s); i++) chunks.add(plan.chunkOf(perm[i]));
                assertTrue(chunks.size() <= 2, "epoch " + e + " step " + s + " spans " + chunks);
            }
        }
    }

    @Test
    void theConfigChoosesThePlan() {
        TrainConfig chunks = TrainConfig.from(ConfigFactory.parseMap(Map.of("train.shuffle", "chunks",
                "train.chunk-rows", 50, "train.batch-size", 10)));
        BatchPlan plan = ConfiguredUpdater.plan(chunks, 1000, 9);
        assertTrue(plan.chunked());
        assertEquals(50, plan.chunkRows);
        assertArrayEquals(BatchPlan.chunked(1000, 10, 9, 50).permutation(2), plan.permutation(2));
        BatchPlan rows = ConfiguredUpdater.plan(TrainConfig.from(ConfigFactory.parseMap(Map.of())), 1000, 9);
        assertFalse(rows.chunked());
        assertArrayEquals(new BatchPlan(1000, 32, 9).permutation(2), rows.permutation(2));
    }
}
