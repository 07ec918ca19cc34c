// A partition's chunk blocks as the batch plan reaches them, and one step's rows gathered out of them.
package io.sparkprop.spark.exec;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Over a {@link ChunkRef} (train.shuffle = chunks) a {@link PartitionWorker} reads the partition's chunk blocks as
 * the plan reaches them and keeps the last two (the chunk in use and the next: a step spans at most two when
 * chunks hold at least a batch); each step's rows are copied from them, in plan order, into a buffer of one
 * step's rows, so the kernel sees the same rows in the same order as over a whole {@link Block}. Not thread-safe:
 * its worker calls it under its own lock.
 */
final class ChunkWindow {
    private final BatchPlan plan;
    /** Chunks read last (chunk number in heldChunk), the one used last in slot lastSlot. */
    private final Block[] held = new Block[2];
    private final int[] heldChunk = {-1, -1};
    private int lastSlot;
    /** A step's rows gathered from its chunks, and their global ids (capacity: the most rows of a step). */
    private Dataset stepRows;
    private int[] stepIds;
    /** Where the current task's chunk reads are counted (set by each task; null: not counted). */
    private ChunkReads reads;

    ChunkWindow(BatchPlan plan) {
        this.plan = plan;
    }

    /** Counts chunk reads in {@code r} from now on. */
    void countReadsIn(ChunkReads r) {
        reads = r;
    }

    /** The rows of the last {@link #gather}, from row 0, and their global ids. */
    Dataset rows() {
        return stepRows;
    }

    int[] ids() {
        return stepIds;
    }

    /**
     * Copies the rows order[from, to) out of their chunks into {@link #rows}, in that order; {@code maxStepRows}
     * is the most rows any step of the epoch takes from this partition.
     */
    void gather(ChunkRef ref, int[] order, int from, int to, int maxStepRows) {
        for (int i = from; i < to; i++) {
            int r = order[i];
            int g = ref.globalId(r);
            int c = plan.chunkOf(g);
            Block chunk = chunk(ref, c);
            int local = r - ref.first(c);
            boolean f32 = chunk.xf != null;
            if (stepRows == null || stepRows.rows < maxStepRows || stepRows.isFloat32() != f32
                    || (stepRows.w == null) != (chunk.w == null)) {
                // Once per epoch at most (the buffer only grows), and on the first step.
                int n = maxStepRows;
                stepRows = f32 ? new Dataset(n, ref.features, ref.targets, new float[n * ref.features],
                        new double[n * ref.targets], null)
                        : new Dataset(n, ref.features, ref.targets, new double[n * ref.features],
                        new double[n * ref.targets], null);
                stepIds = new int[n];
                if (chunk.w != null || chunk.classWeight != null) {
                    // Row and class weights travel with the rows (data.weight-column, train.class-weights).
                    stepRows = stepRows.withWeights(chunk.w == null ? null : new double[n])
                            .withClassWeights(chunk.classWeight);
                }
            }
            int f = ref.features;
            int t = ref.targets;
            int at = i - from;
            if (f32) {
                System.arraycopy(chunk.xf, local * f, stepRows.xf, at * f, f);
            } else {
                System.arraycopy(chunk.x, local * f, stepRows.x, at * f, f);
            }
            System.arraycopy(chunk.y, local * t, stepRows.y, at * t, t);
            if (chunk.w != null) {
                stepRows.w[at] = chunk.w[local];
            }
            stepIds[at] = g;
        }
    }

    /** Drops the chunks held: between epochs, and after the run, a worker holds no chunk. */
    void letGo() {
        held[0] = null;
        held[1] = null;
        heldChunk[0] = -1;
        heldChunk[1] = -1;
    }

    /** Chunk c of the partition: one of the two held, else read in place of the one used less recently. */
    Block chunk(ChunkRef ref, int c) {
        for (int slot = 0; slot < 2; slot++) {
            if (heldChunk[slot] == c) {
                lastSlot = slot;
                return held[slot];
            }
        }
        int slot = 1 - lastSlot;
        held[slot] = null; // let the old chunk go before the new one arrives
        heldChunk[slot] = -1;
        held[slot] = ChunkStore.read(ref, c, reads);
        heldChunk[slot] = c;
        lastSlot = slot;
        return held[slot];
    }
}
