// An in-memory table of training rows, stored column-major so a row is one contiguous column.
// Every reader produces one; the trainers gather mini-batches from it.
package io.sparkprop.trainer.data;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of features and targets, held as two column-major matrices:
 * <pre>
 *   x: (features × rows)   row r occupies x[r*features .. (r+1)*features)
 *   y: (targets  × rows)   for classification targets = 1 and y holds the class index (0-based)
 * </pre>
 * {@code classNames} maps class indices to the labels as spelled in the source file (null for regression).
 * The arrays are shared, never copied, by views such as {@link #select(int[])} callers.
 */
public final class Dataset {
    public final int rows;
    public final int features;
    public final int targets;
    public final double[] x;
    public final double[] y;
    /** Class index → label as written in the source; null when the targets are real values. */
    public final List<String> classNames;

    public Dataset(int rows, int features, int targets, double[] x, double[] y, List<String> classNames) {
        if (x.length != (long) rows * features) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + rows + "×" + features);
        }
        if (y.length != (long) rows * targets) {
            throw new IllegalArgumentException("y has " + y.length + " values, expected " + rows + "×" + targets);
        }
        this.rows = rows;
        this.features = features;
        this.targets = targets;
        this.x = x;
        this.y = y;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    public boolean isClassification() {
        return classNames != null;
    }

    public int numClasses() {
        return classNames == null ? 0 : classNames.size();
    }

    /** Class index of row r (classification only). */
    public int label(int r) {
        return (int) y[r];
    }

    /** A new dataset holding the given rows, in that order (copies the values). */
    public Dataset select(int[] rowIndex) {
        double[] nx = new double[rowIndex.length * features];
        double[] ny = new double[rowIndex.length * targets];
        for (int i = 0; i < rowIndex.length; i++) {
            int r = rowIndex[i];
            System.arraycopy(x, r * features, nx, i * features, features);
            System.arraycopy(y, r * targets, ny, i * targets, targets);
        }
        return new Dataset(rowIndex.length, features, targets, nx, ny, classNames);
    }

    /** Rows [from, to) as a new dataset. */
    public Dataset slice(int from, int to) {
        return new Dataset(to - from, features, targets,
                Arrays.copyOfRange(x, from * features, to * features),
                Arrays.copyOfRange(y, from * targets, to * targets), classNames);
    }
}
