// A split's statistics over a partition's chunk blocks, evaluated in the passes of its stacked block: the same bits.
package io.sparkprop.spark.exec;

import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.eval.Evaluator;

/**
 * A stacked block is evaluated in passes of {@link Evaluator#CHUNK} local rows, [0, 512), [512, 1024), ..., each
 * pass's Σ loss and counts added to the statistics in turn. Over a {@link ChunkRef} the same passes run in the same
 * order: a pass inside one chunk is evaluated where it lies, a pass that spans chunks is first copied row by row
 * into a buffer of one pass. So every pass sees the same rows, and the statistics are those of the stacked block,
 * bit for bit. The chunks are read one after the other (a spanning pass holds the end of one chunk copied, not
 * the chunk), so at most one chunk and one pass are held. Not thread-safe: its {@link PartitionWorker} calls it
 * under its own lock.
 */
final class ChunkPasses {
    private final Evaluator evaluator;
    /** One pass's rows when it spans chunks (capacity {@link Evaluator#CHUNK}; remade if the precision differs). */
    private Dataset pass;

    ChunkPasses(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** stats += the statistics of the partition's rows under θ; chunk reads counted in {@code reads} (may be null). */
    double[] addTo(double[] stats, ChunkRef ref, double[] params, ChunkReads reads) {
        Dataset held = null;
        int heldChunk = -1;
        int c = 0;
        for (int from = 0; from < ref.rows; from += Evaluator.CHUNK) {
            int to = Math.min(ref.rows, from + Evaluator.CHUNK);
            int at = 0;
            for (int r = from; r < to; ) {
                while (ref.first(c + 1) <= r) c++; // the chunk holding local row r (empty chunks passed over)
                if (c != heldChunk) {
                    held = null; // let the old chunk go before the next one arrives
                    held = ChunkStore.read(ref, c, reads).asDataset(null);
                    heldChunk = c;
                }
                int first = ref.first(c);
                int end = Math.min(to, ref.first(c + 1));
                if (r == from && end == to) {
                    evaluator.addTo(stats, params, held, from - first, to - first); // the pass lies in this chunk
                    break;
                }
                copy(held, r - first, end - first, at);
                at += end - r;
                r = end;
            }
            if (at > 0) {
                evaluator.addTo(stats, params, pass, 0, at);
            }
        }
        return stats;
    }

    /** Rows [a, b) of chunk into the pass buffer from row {@code at}. */
    private void copy(Dataset chunk, int a, int b, int at) {
        int n = Evaluator.CHUNK;
        int f = chunk.features;
        int t = chunk.targets;
        if (pass == null || pass.isFloat32() != chunk.isFloat32() || (pass.w == null) != (chunk.w == null)
                || pass.features != f || pass.targets != t) {
            pass = chunk.isFloat32() ? new Dataset(n, f, t, new float[n * f], new double[n * t], null)
                    : new Dataset(n, f, t, new double[n * f], new double[n * t], null);
            pass = pass.withWeights(chunk.w == null ? null : new double[n]);
        }
        if (chunk.isFloat32()) {
            System.arraycopy(chunk.xf, a * f, pass.xf, at * f, (b - a) * f);
        } else {
            System.arraycopy(chunk.x, a * f, pass.x, at * f, (b - a) * f);
        }
        System.arraycopy(chunk.y, a * t, pass.y, at * t, (b - a) * t);
        if (chunk.w != null) {
            System.arraycopy(chunk.w, a, pass.w, at, b - a);
        }
    }
}
