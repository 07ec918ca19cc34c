// An in-memory table of training rows, stored column-major so a row is one contiguous column.
// Every reader produces one; the trainers gather mini-batches from it.
package io.sparkprop.trainer.data;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of features and targets, held as two column-major matrices:
 * <pre>
 *   x: (features × rows)   row r occupies x[r*features .. (r+1)*features)
 *   y: (targets  × rows)   a class index (0-based, targets = 1), or one value per target
 * </pre>
 * {@code classNames} maps class indices to the labels as spelled in the source file (null for real targets);
 * with several targets and class names, y holds multi-label 0/1 values and the names are the target columns.
 * {@link #select} and {@link #slice} copy the rows they keep into new arrays; {@link #toFloat32} and
 * {@link #toFloat64} convert the features and share {@code y}.
 * With compute.precision = float32 a prepared table keeps its features as float instead ({@code xf}, and
 * {@code x} is null): half the memory; the float32 compute path gathers them as they are, a float64 one
 * widens them back exactly ({@link #copyRow}).
 * Weights (data.weight-column, train.class-weights): {@code w} holds one non-negative weight per row and
 * {@code classWeight} one per class, either null (all 1). A training step weights row r by
 * {@link #trainingWeight} = w[r]·classWeight[label r]; scoring and metrics by {@link #sampleWeight} = w[r] alone,
 * as Spark's evaluators weight by weightCol. Both travel with the rows through select, slice and the precision
 * conversions.
 */
public final class Dataset {
    public final int rows;
    public final int features;
    public final int targets;
    /** Features as doubles, or null when stored as floats. */
    public final double[] x;
    /** Features as floats (compute.precision = float32), or null. */
    public final float[] xf;
    public final double[] y;
    /** Class index → label as written in the source; null when the targets are real values. */
    public final List<String> classNames;
    /** One weight per row (data.weight-column), or null: every row weighs 1. */
    public final double[] w;
    /** One weight per class index (train.class-weights), or null: every class weighs 1. */
    public final double[] classWeight;

    public Dataset(int rows, int features, int targets, double[] x, double[] y, List<String> classNames) {
        this(rows, features, targets, x, null, y, classNames, null, null);
    }

    /** Features stored as floats. */
    public Dataset(int rows, int features, int targets, float[] xf, double[] y, List<String> classNames) {
        this(rows, features, targets, null, xf, y, classNames, null, null);
    }

    private Dataset(int rows, int features, int targets, double[] x, float[] xf, double[] y, List<String> classNames,
                    double[] w, double[] classWeight) {
        long n = x != null ? x.length : xf.length;
        if (n != (long) rows * features) {
            throw new IllegalArgumentException("x has " + n + " values, expected " + rows + "×" + features);
        }
        if (y.length != (long) rows * targets) {
            throw new IllegalArgumentException("y has " + y.length + " values, expected " + rows + "×" + targets);
        }
        this.rows = rows;
        this.features = features;
        this.targets = targets;
        this.x = x;
        this.xf = xf;
        this.y = y;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        if (w != null && w.length != rows) {
            throw new IllegalArgumentException("w has " + w.length + " values, expected " + rows);
        }
        if (classWeight != null && (targets != 1 || classNames != null && classWeight.length != classNames.size())) {
            throw new IllegalArgumentException("class weights need one class column and one weight per class");
        }
        this.w = w;
        this.classWeight = classWeight;
    }

    /** The same rows weighted by {@code weights} (one per row, or null for none); the arrays are shared. */
    public Dataset withWeights(double[] weights) {
        return new Dataset(rows, features, targets, x, xf, y, classNames, weights, classWeight);
    }

    /** The same rows with {@code perClass} class weights (one per class, or null for none); arrays shared. */
    public Dataset withClassWeights(double[] perClass) {
        return new Dataset(rows, features, targets, x, xf, y, classNames, w, perClass);
    }

    /** Whether a training step weights its rows (either kind of weight is present). */
    public boolean weighted() {
        return w != null || classWeight != null;
    }

    /** Row r's weight in a training step: w[r]·classWeight[label r], each 1 when absent. */
    public double trainingWeight(int r) {
        double v = w == null ? 1.0 : w[r];
        return classWeight == null ? v : v * classWeight[(int) y[r]];
    }

    /** Row r's weight in scoring and metrics: w[r], or 1. */
    public double sampleWeight(int r) {
        return w == null ? 1.0 : w[r];
    }

    public boolean isFloat32() {
        return xf != null;
    }

    /** Row r's features into dst[off .. off + features), widened to double if stored as floats. */
    public void copyRow(int r, double[] dst, int off) {
        if (x != null) {
            System.arraycopy(x, r * features, dst, off, features);
        } else {
            for (int j = 0, i = r * features; j < features; j++) dst[off + j] = xf[i + j];
        }
    }

    /** Row r's features into dst[off .. off + features), rounded to float if stored as doubles. */
    public void copyRow(int r, float[] dst, int off) {
        if (xf != null) {
            System.arraycopy(xf, r * features, dst, off, features);
        } else {
            for (int j = 0, i = r * features; j < features; j++) dst[off + j] = (float) x[i + j];
        }
    }

    /** The same table with its features rounded to float (this one if they already are). */
    public Dataset toFloat32() {
        if (xf != null) {
            return this;
        }
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) x[i];
        return new Dataset(rows, features, targets, null, f, y, classNames, w, classWeight);
    }

    /** The same table with double features (exact widening of float ones; this one if already double). */
    public Dataset toFloat64() {
        if (x != null) {
            return this;
        }
        double[] d = new double[xf.length];
        for (int i = 0; i < d.length; i++) d[i] = xf[i];
        return new Dataset(rows, features, targets, d, null, y, classNames, w, classWeight);
    }

    public boolean isClassification() {
        return classNames != null;
    }

    /** One class index per row (not multi-label 0/1 targets): what stratified splits group by. */
    public boolean hasClassIndex() {
        return classNames != null && targets == 1;
    }

    public int numClasses() {
        return classNames == null ? 0 : classNames.size();
    }

    /** Class index of row r (classification only). */
    public int label(int r) {
        return (int) y[r];
    }

    /** A new dataset holding the given rows, in that order (copies the values, in the same precision). */
    public Dataset select(int[] rowIndex) {
        double[] ny = new double[rowIndex.length * targets];
        for (int i = 0; i < rowIndex.length; i++) {
            System.arraycopy(y, rowIndex[i] * targets, ny, i * targets, targets);
        }
        double[] nw = null;
        if (w != null) {
            nw = new double[rowIndex.length];
            for (int i = 0; i < rowIndex.length; i++) nw[i] = w[rowIndex[i]];
        }
        if (xf != null) {
            float[] nx = new float[rowIndex.length * features];
            for (int i = 0; i < rowIndex.length; i++) {
                System.arraycopy(xf, rowIndex[i] * features, nx, i * features, features);
            }
            return new Dataset(rowIndex.length, features, targets, null, nx, ny, classNames, nw, classWeight);
        }
        double[] nx = new double[rowIndex.length * features];
        for (int i = 0; i < rowIndex.length; i++) {
            System.arraycopy(x, rowIndex[i] * features, nx, i * features, features);
        }
        return new Dataset(rowIndex.length, features, targets, nx, null, ny, classNames, nw, classWeight);
    }

    /** Rows [from, to) as a new dataset. */
    public Dataset slice(int from, int to) {
        double[] ny = Arrays.copyOfRange(y, from * targets, to * targets);
        double[] nw = w == null ? null : Arrays.copyOfRange(w, from, to);
        return xf != null
                ? new Dataset(to - from, features, targets, null,
                        Arrays.copyOfRange(xf, from * features, to * features), ny, classNames, nw, classWeight)
                : new Dataset(to - from, features, targets, Arrays.copyOfRange(x, from * features, to * features),
                        null, ny, classNames, nw, classWeight);
    }
}
