// Evaluation jobs of the Spark engine: a split's statistics from its cached blocks (or its chunks), one array per
// partition, added in the ReductionTree's order on the driver.
package io.sparkprop.spark.engine;

import java.util.List;
import java.util.function.Function;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import io.sparkprop.spark.exec.ChunkReads;
import io.sparkprop.spark.exec.PartitionWorker;
import io.sparkprop.spark.exec.ReductionTree;
import io.sparkprop.spark.exec.TrainRows;
import io.sparkprop.trainer.kernel.Backend;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.train.BatchPlan;

/**
 * Each job broadcasts θ once, runs every partition's {@link PartitionWorker#evaluate} and destroys the broadcast.
 * Under float32 the tasks evaluate θ rounded to float, as inside the barrier job; it travels as doubles holding
 * the rounded values (8 bytes each: evaluations are few, and a worker evaluates double θ).
 */
record SplitEvaluator(JavaSparkContext sc, Network net, BatchPlan plan, String runId, String runName, Backend backend,
                      boolean float32) {

    /**
     * The statistics of a split's rows: one cached block per partition, or (train.shuffle = chunks) a partition's
     * chunk refs, whose chunks are read one after the other with the bits of the stacked block; the reads are
     * counted in {@code reads} (may be null).
     */
    <T extends TrainRows> double[] rows(JavaRDD<T> rdd, ChunkReads reads, double[] params, String split) {
        Network n = net;
        BatchPlan bp = plan;
        String id = runId;
        Backend be = backend;
        return run(params, split, bw -> rdd.map(rows ->
                PartitionWorker.get(id, rows.partition(), n, bp, be).evaluate(rows, bw.value(), reads)));
    }

    private double[] run(double[] params, String what, Function<Broadcast<double[]>, JavaRDD<double[]>> job) {
        Broadcast<double[]> bw = sc.broadcast(float32 ? roundedToFloat(params) : params);
        sc.setLocalProperty(RunListener.RUN, runId);
        sc.setJobDescription("sparkprop " + runName + ": evaluate " + what);
        List<double[]> parts = job.apply(bw).collect(); // one array per partition, in partition order
        bw.destroy();
        return ReductionTree.sum(parts.toArray(new double[0][]));
    }

    private static double[] roundedToFloat(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = (float) a[i];
        return r;
    }
}
