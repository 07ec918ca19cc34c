// Which rows of which dataset form the current mini-batch; a reusable, allocation-free view.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.data.Dataset;

/**
 * Rows {@code index[from..to)} of {@code data} (or rows from..to when index is null). {@code globalId}
 * maps a row of {@code data} to its row number in the whole training set, so dropout masks depend on the
 * row, not on which partition or position holds it. Set {@code training} for dropout; the key varies per step.
 */
public final class Batch {
    Dataset data;
    int[] index;
    int from;
    int to;
    int[] globalId;
    boolean training;
    long dropoutKey;

    public Batch set(Dataset data, int[] index, int from, int to) {
        this.data = data;
        this.index = index;
        this.from = from;
        this.to = to;
        return this;
    }

    /** Global row ids of data's rows (null: the row number in data is global). */
    public Batch globalIds(int[] globalId) {
        this.globalId = globalId;
        return this;
    }

    /** Training mode turns dropout on with masks derived from {@code key} (e.g. a hash of seed and step). */
    public Batch training(boolean training, long key) {
        this.training = training;
        this.dropoutKey = key;
        return this;
    }

    public int size() {
        return to - from;
    }

    public Dataset data() {
        return data;
    }

    /** Whether rows carry weights here: training on a {@link Dataset#weighted} table, scoring with row weights. */
    boolean weighted() {
        return training ? data.weighted() : data.w != null;
    }

    /** Row i's weight: {@link Dataset#trainingWeight} in training, {@link Dataset#sampleWeight} when scoring. */
    double weight(int i) {
        int r = row(i);
        return training ? data.trainingWeight(r) : data.sampleWeight(r);
    }

    /**
     * Σ of the rows' weights in row order (training or scoring, as {@link #weight}): the divisor of a weighted
     * step; exactly {@link #size()} when every weight is 1, and {@link #size()} itself for an unweighted table.
     */
    public double weightSum() {
        if (!weighted()) {
            return size();
        }
        double s = 0;
        for (int i = 0; i < size(); i++) s += weight(i);
        return s;
    }

    int row(int i) {
        return index == null ? from + i : index[from + i];
    }
}
