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
 */
final class FixedOrderSum {
    private FixedOrderSum() {
    }

    /** Σ of one double[] per partition, in a fixed order; the arrays are reused as accumulators. */
    static double[] sum(JavaRDD<double[]> partials, int depth) {
        int p = partials.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.pow(p, 1.0 / Math.max(1, depth))), 2);
        JavaPairRDD<Integer, double[]> level = partials.mapPartitionsWithIndex((i, it) -> {
            List<Tuple2<Integer, double[]>> one = new ArrayList<>(1);
            while (it.hasNext()) one.add(new Tuple2<>(i, it.next()));
            return one.iterator();
        }, true).mapToPair(t -> t);
        while (depth > 1 && p > scale + (int) Math.ceil((double) p / scale)) {
            int s = scale;
            p = (p + s - 1) / s;
            int parts = p;
            level = level.mapToPair(t -> new Tuple2<>(t._1 / s, new Tuple2<>(t._1, t._2)))
                    .groupByKey(new HashPartitioner(parts))
                    .mapToPair(g -> new Tuple2<>(g._1, addInIndexOrder(g._2)));
            depth--;
        }
        List<Tuple2<Integer, double[]>> last = new ArrayList<>(level.collect());
        last.sort((a, b) -> Integer.compare(a._1, b._1));
        double[] acc = null;
        for (Tuple2<Integer, double[]> t : last) {
            acc = acc == null ? t._2 : add(acc, t._2);
        }
        return acc;
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
