// Gives every parsed row its id in its split and moves row g to partition g mod P, stacked into a Block (under
// train.shuffle = chunks, into one block per chunk as the rows stream in).
package io.sparkprop.spark.data;

import io.sparkprop.spark.exec.Block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.data.ClassLabels;
import io.sparkprop.trainer.rng.SplitMix64;
import scala.Tuple2;

/**
 * Row r of the file (in file order) is a validation row when a hash of (seed, r) falls below the fraction, so the
 * split needs no shuffle of its own; a DataFrame's validation indicator column, when given, decides instead. Within each split, rows are numbered in file order; the driver computes
 * each chunk's first number from the chunks' row counts alone, and one shuffle places the rows.
 */
final class Placement {
    private final Chunks chunks;
    private final double fraction;
    private final long seed;
    private final int partitions;
    /** Per chunk: its first file row, and how many train / validation rows precede it. */
    private final long[] firstRow;
    private final int[] trainBefore;
    private final int[] valBefore;
    private long trainRows;
    private long valRows;

    Placement(Chunks chunks, double fraction, long seed, int partitions) {
        this.chunks = chunks;
        this.fraction = fraction;
        this.seed = seed;
        this.partitions = partitions;
        int n = chunks.meta().size();
        firstRow = new long[n];
        trainBefore = new int[n];
        valBefore = new int[n];
        long row = 0;
        for (int c = 0; c < n; c++) {
            firstRow[c] = row;
            trainBefore[c] = (int) trainRows;
            valBefore[c] = (int) valRows;
            Chunks.Chunk.Meta m = chunks.meta().get(c);
            if (m.validationRows() >= 0) {
                valRows += m.validationRows();
                trainRows += m.rows() - m.validationRows();
                row += m.rows();
                continue;
            }
            for (int i = 0; i < m.rows(); i++, row++) {
                if (isValidation(row, fraction, seed)) valRows++; else trainRows++;
            }
        }
    }

    long trainRows() {
        return trainRows;
    }

    long validationRows() {
        return valRows;
    }

    static boolean isValidation(long row, double fraction, long seed) {
        if (fraction <= 0) {
            return false;
        }
        return SplitMix64.uniform(SplitMix64.mix(seed * SplitMix64.GAMMA + row)) < fraction;
    }

    /**
     * The blocks of one split (validation or train), features padded to width, labels mapped to classes. With
     * {@code chunkRows} = 0 each partition's rows are stacked into one block, cached at {@code level}. With
     * {@code chunkRows} = C > 0 (every split under train.shuffle = chunks) the shuffle sorts each partition's
     * rows by id, spilling as it needs, and they are stacked as they stream in, one block per global chunk (ids in
     * [c·C, (c+1)·C)) that has rows in the partition; no block holds the partition's whole share, and none is
     * cached (the callers cut them into the chunk blocks that are). The rows and their order are the same, so a
     * chunk holds the values that cutting the one block would give.
     */
    JavaRDD<Block> blocks(JavaSparkContext sc, boolean validation, List<String> classes, int width,
                          StorageLevel level, int chunkRows) {
        long[] first = firstRow;
        int[] before = validation ? valBefore : trainBefore;
        double f = fraction;
        long s = seed;
        int p = partitions;
        int targets = chunks.targets();
        JavaPairRDD<Integer, double[]> placed = chunks.rdd().flatMapToPair(chunk -> {
            if (chunk.features > width) { // the callers compare widths first; this keeps a row from spilling over
                throw new IllegalStateException("chunk " + chunk.index + " has " + chunk.features + " features > " + width);
            }
            int t = chunk.targets;
            int[] global = t == 1 ? classMap(chunk, classes) : null; // several targets are values, kept as read
            boolean weighted = chunk.w != null;
            List<Tuple2<Integer, double[]>> rows = new ArrayList<>();
            int id = before[chunk.index];
            for (int i = 0; i < chunk.rows; i++) {
                boolean v = chunk.validation != null ? chunk.validation[i] : isValidation(first[chunk.index] + i, f, s);
                if (v != validation) {
                    continue;
                }
                // One array per row: width features, then the t targets, then its weight (if any).
                double[] row = new double[width + t + (weighted ? 1 : 0)];
                System.arraycopy(chunk.x, i * chunk.features, row, 0, chunk.features);
                System.arraycopy(chunk.y, i * t, row, width, t);
                if (weighted) {
                    row[width + t] = chunk.w[i];
                }
                if (global != null) {
                    row[width] = global[(int) chunk.y[i]];
                }
                rows.add(new Tuple2<>(id, row)); // id → partition id mod P (HashPartitioner of an Integer)
                id++;
            }
            return rows.iterator();
        });
        if (chunkRows > 0) {
            JavaRDD<Block> cut = placed.repartitionAndSortWithinPartitions(new HashPartitioner(p))
                    .mapPartitionsWithIndex((part, it) -> chunkBlocks(part, it, width, targets, chunkRows), true);
            cut.count(); // runs the shuffle's map side while the parsed input is still cached
            return cut;
        }
        JavaRDD<Block> blocks = placed.partitionBy(new HashPartitioner(p)).mapPartitionsWithIndex((part, it) -> {
            List<Tuple2<Integer, double[]>> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            all.sort((a, b) -> Integer.compare(a._1, b._1));
            return List.of(stack(part, all, width, targets)).iterator();
        }, true).persist(level);
        blocks.count();
        return blocks;
    }

    /** Chunk-local class index → index among the run's classes (null: targets are values, keep them). */
    private static int[] classMap(Chunks.Chunk chunk, List<String> classes) {
        if (classes == null || chunk.classNames == null) {
            return null;
        }
        int[] map = new int[chunk.classNames.size()];
        for (int c = 0; c < map.length; c++) map[c] = ClassLabels.indexIn(classes, chunk.classNames.get(c));
        return map;
    }

    /**
     * A partition's rows, sorted by id, stacked a chunk at a time: one block per global chunk with rows here (one
     * empty block when the partition has none), each built when asked for, so one chunk's rows are held at a time.
     */
    private static Iterator<Block> chunkBlocks(int partition, Iterator<Tuple2<Integer, double[]>> sorted, int width,
                                               int targets, int chunkRows) {
        return new Iterator<>() {
            private Tuple2<Integer, double[]> ahead = sorted.hasNext() ? sorted.next() : null;
            private boolean any;

            @Override
            public boolean hasNext() {
                return ahead != null || !any;
            }

            @Override
            public Block next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                any = true;
                List<Tuple2<Integer, double[]>> rows = new ArrayList<>();
                int chunk = ahead == null ? -1 : ahead._1 / chunkRows;
                while (ahead != null && ahead._1 / chunkRows == chunk) {
                    rows.add(ahead);
                    ahead = sorted.hasNext() ? sorted.next() : null;
                }
                return stack(partition, rows, width, targets);
            }
        };
    }

    /** Rows of one partition (or of one of its chunks) in ascending id, stacked column-major. */
    private static Block stack(int partition, List<Tuple2<Integer, double[]>> rows, int width, int targets) {
        int n = rows.size();
        double[] x = new double[n * width];
        double[] y = new double[n * targets];
        // Weighted rows carry one value more; a partition holds rows of one source, so all or none do.
        double[] w = n > 0 && rows.get(0)._2.length > width + targets ? new double[n] : null;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i)._2;
            System.arraycopy(r, 0, x, i * width, width);
            System.arraycopy(r, width, y, i * targets, targets);
            if (w != null) {
                w[i] = r[width + targets];
            }
            ids[i] = rows.get(i)._1;
        }
        Block b = new Block(partition, width, targets, x, y, Arrays.copyOf(ids, n));
        return w == null ? b : b.withWeights(w, null);
    }
}
