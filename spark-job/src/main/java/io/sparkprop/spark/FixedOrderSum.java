// A tree reduction of per-partition arrays whose summation order is fixed by partition index, not by timing.
package io.sparkprop.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.HashPartitioner;

import scala.Tuple2;

/**
 * Spark's treeAggregate merges partial sums in task-completion order, so float rounding — and the trained
 * weights — depend on which task finishes first. Here every level groups partitions by index
 * (i / scale) and adds each group in ascending index; the driver adds the last level in index order.
 * The shape follows treeAggregate: extra executor levels only while they pay off (same condition).
 * {@link #sumInOrder} adds arrays already in one place in exactly the same order, so the barrier protocol's
 * sums are bit-identical to the driver protocol's.
 */
final class FixedOrderSum {
    private FixedOrderSum() {
    }

    /** Σ of one double[] per partition, in a fixed order; the arrays are reused as accumulators. */
    static double[] sum(JavaRDD<double[]> partials, int depth) {
        int p = partials.getNumPartitions();
        JavaPairRDD<Integer, double[]> level = partials.mapPartitionsWithIndex((i, it) -> {
            List<Tuple2<Integer, double[]>> one = new ArrayList<>(1);
            while (it.hasNext()) one.add(new Tuple2<>(i, it.next()));
            return one.iterator();
        }, true).mapToPair(t -> t);
        for (int s : scales(p, depth)) {
            p = (p + s - 1) / s;
            int parts = p;
            level = level.mapToPair(t -> new Tuple2<>(t._1 / s, new Tuple2<>(t._1, t._2)))
                    .groupByKey(new HashPartitioner(parts))
                    .mapToPair(g -> new Tuple2<>(g._1, addInIndexOrder(g._2)));
        }
        List<Tuple2<Integer, double[]>> last = new ArrayList<>(level.collect());
        last.sort((a, b) -> Integer.compare(a._1, b._1));
        double[] acc = null;
        for (Tuple2<Integer, double[]> t : last) {
            acc = acc == null ? t._2 : add(acc, t._2);
        }
        return acc;
    }

    /** The same sum over arrays indexed by partition; the arrays are reused as accumulators. */
    static double[] sumInOrder(double[][] parts, int depth) {
        List<double[]> level = List.of(parts);
        for (int s : scales(parts.length, depth)) {
            List<double[]> next = new ArrayList<>();
            for (int g = 0; g * s < level.size(); g++) {
                double[] acc = level.get(g * s);
                for (int i = g * s + 1; i < Math.min((g + 1) * s, level.size()); i++) add(acc, level.get(i));
                next.add(acc);
            }
            level = next;
        }
        double[] acc = level.get(0);
        for (int i = 1; i < level.size(); i++) add(acc, level.get(i));
        return acc;
    }

    /** Group sizes of the executor-side levels for p partitions at tree depth `depth` (treeAggregate's rule). */
    static List<Integer> scales(int p, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(p, 1.0 / Math.max(1, depth))), 2);
        List<Integer> out = new ArrayList<>();
        while (depth > 1 && p > scale + (int) Math.ceil((double) p / scale)) {
            out.add(scale);
            p = (p + scale - 1) / scale;
            depth--;
        }
        return out;
    }

    private static double[] addInIndexOrder(Iterable<Tuple2<Integer, double[]>> group) {
        List<Tuple2<Integer, double[]>> l = new ArrayList<>();
        group.forEach(l::add);
        l.sort((a, b) -> Integer.compare(a._1, b._1));
        double[] acc = l.get(0)._2;
        for (int i = 1; i < l.size(); i++) add(acc, l.get(i)._2);
        return acc;
    }

    /** a += b in place; returns a. */
    static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }
}
