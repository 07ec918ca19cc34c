// The driver protocol's sum of per-partition arrays on Spark, in exactly the order of the ReductionTree.
package io.sparkprop.spark.engine;

import io.sparkprop.spark.exec.ReductionTree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

import scala.Tuple2;

/**
 * Spark's treeAggregate merges partial sums in task-completion order, so float rounding — and the trained
 * weights — would depend on which task finishes first. Here each executor-side level groups the nodes of the
 * {@link ReductionTree} by their ancestor at a target depth and computes those whole subtrees; nodes above it
 * pass through. The last executor level has target depth 0, so the driver receives one array. spark.tree-depth
 * d gives d − 1 executor levels (targets ⌊H·(d−1−k)/(d−1)⌋ for a tree of height H); d = 1 collects every
 * partition's array and the driver adds them. Every shape computes the same S(0), bit for bit.
 * Records are (node, ±array): a complete subtree sum travels under key −(node+1).
 */
final class FixedOrderSum {
    private FixedOrderSum() {
    }

    /**
     * S(0) of one double[] per partition (partition index = tree node); the arrays are reused as accumulators.
     * When executor levels leave S(0) on an executor, its first {@code floats} values travel to the driver rounded
     * to float32 (half the bytes) — the rounding the caller applies anyway; 0 sends every value as a double.
     */
    static double[] sum(JavaRDD<double[]> partials, int depth, int floats) {
        int p = partials.getNumPartitions();
        JavaPairRDD<Integer, double[]> level = partials.mapPartitionsWithIndex((i, it) -> {
            List<Tuple2<Integer, double[]>> one = new ArrayList<>(1);
            while (it.hasNext()) one.add(new Tuple2<>(i, it.next()));
            return one.iterator();
        }, true).mapToPair(t -> t);
        for (int target : targets(p, depth)) {
            int groups = Math.min(p, (1 << (target + 1)) - 1);
            level = level.mapToPair(t -> new Tuple2<>(groupOf(node(t._1), target), t))
                    .groupByKey(new HashPartitioner(groups))
                    .mapToPair(g -> reduce(g._1, g._2, target, p));
        }
        if (floats > 0 && !targets(p, depth).isEmpty()) {
            List<Tuple2<Integer, byte[]>> packed = level.mapValues(a -> pack(a, floats)).collect();
            List<Tuple2<Integer, double[]>> records = new ArrayList<>();
            for (Tuple2<Integer, byte[]> r : packed) records.add(new Tuple2<>(r._1, unpack(r._2, floats)));
            return finish(records, p);
        }
        return finish(level.collect(), p);
    }

    /** Little-endian: a[0, floats) as float32, the rest as float64. */
    static byte[] pack(double[] a, int floats) {
        ByteBuffer b = ByteBuffer.allocate(4 * floats + 8 * (a.length - floats)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < floats; i++) b.putFloat((float) a[i]);
        for (int i = floats; i < a.length; i++) b.putDouble(a[i]);
        return b.array();
    }

    static double[] unpack(byte[] bytes, int floats) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] a = new double[floats + (bytes.length - 4 * floats) / 8];
        for (int i = 0; i < floats; i++) a[i] = b.getFloat();
        for (int i = floats; i < a.length; i++) a[i] = b.getDouble();
        return a;
    }

    /** The target depths of the executor-side levels for p partitions at tree depth d, deepest first. */
    static List<Integer> targets(int p, int depth) {
        int h = ReductionTree.height(p);
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k < depth; k++) {
            int t = (int) ((long) h * (depth - 1 - k) / (depth - 1));
            if (t < h && (out.isEmpty() || t < out.get(out.size() - 1))) out.add(t);
        }
        return out;
    }

    /** The driver's part: S(0) from records of own partials and complete subtrees. */
    static double[] finish(Iterable<Tuple2<Integer, double[]>> records, int p) {
        return subtreeOf(records, 0, p);
    }

    private static double[] subtreeOf(Iterable<Tuple2<Integer, double[]>> records, int root, int p) {
        double[][] own = new double[p][];
        boolean[] complete = new boolean[p];
        for (Tuple2<Integer, double[]> r : records) {
            int n = node(r._1);
            own[n] = r._2;
            complete[n] = r._1 < 0;
        }
        return ReductionTree.subtree(own, complete, root, p);
    }

    private static int node(int key) {
        return key < 0 ? -key - 1 : key;
    }

    /** Nodes at or below the target depth go to their ancestor there; nodes above stay alone. */
    private static int groupOf(int n, int target) {
        return ReductionTree.depth(n) >= target ? ReductionTree.ancestor(n, target) : n;
    }

    /** One group: a whole subtree rooted at the target depth (summed), or a single node above it (passed on). */
    private static Tuple2<Integer, double[]> reduce(int root, Iterable<Tuple2<Integer, double[]>> group, int target,
                                                    int p) {
        if (ReductionTree.depth(root) < target) {
            return group.iterator().next();
        }
        return new Tuple2<>(-root - 1, subtreeOf(group, root, p));
    }
}
