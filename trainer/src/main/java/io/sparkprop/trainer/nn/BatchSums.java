// The exchange a batch-norm layer makes mid-pass: this shard's per-channel sums in, the whole global batch's out.
package io.sparkprop.trainer.nn;

/**
 * Every shard of a global batch (an engine's thread, a Spark partition) calls {@link #allSum} at the same points
 * of its pass, with arrays of the same length: once in the forward pass of each batch-norm layer ([rows·plane,
 * Σx (C), Σx² (C)]) and once in its backward pass ([Σ dOut (C), Σ dOut·x̂ (C)]). The call replaces the shard's
 * partial with the sum over all shards, added in the engine's one fixed order (threads in chunk order, Spark
 * partitions in the reduction tree's order), so every shard continues with the same bits. The trainer knows
 * nothing of threads or Spark: an engine sets its implementation on the workspace
 * ({@link Workspace#setBatchSums}); the default is {@link #ONE_SHARD}.
 */
@FunctionalInterface
public interface BatchSums {
    /** One shard holds the whole batch: its sums are the batch's. */
    BatchSums ONE_SHARD = (layer, backward, sums) -> {
    };

    /**
     * @param layer    the batch-norm layer's index in the layer list
     * @param backward false for the forward pass's sums, true for the backward pass's
     * @param sums     in: this shard's partial sums; out: the global batch's
     */
    void allSum(int layer, boolean backward, double[] sums);
}
