// Seeded shuffles and splits: a train/validation hold-out and k-fold cross-validation, both class-stratified.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything here is a function of the seed, so a run can be repeated exactly. For classification data the
 * splits are stratified — each part keeps the class proportions — because a small or unbalanced set split
 * at random can leave a class out of the validation rows entirely. Rows keep their shuffled order.
 */
public final class Splits {
    /** Two disjoint parts of a dataset; for {@link #trainValidation} {@code test} is the validation part. */
    public record Split(Dataset train, Dataset test) {
    }

    private Splits() {
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates, driven by SplittableRandom(seed)). */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Holds out round(fraction · rows) rows (at least 1, leaving at least 1 for training).
     *
     * @param fraction the validation share, strictly between 0 and 1
     */
    public static Split trainValidation(Dataset d, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        if (d.rows < 2) {
            throw new UserError("cannot hold out a validation set from " + d.rows + " row(s); need at least 2");
        }
        int n = d.rows;
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
        int[] order = permutation(n, seed);
        boolean[] isHeld = new boolean[n];
        if (d.hasClassIndex()) {
            int[] quota = quotas(classCounts(d), held, n);
            for (int r : order) {
                if (quota[d.label(r)] > 0) {
                    quota[d.label(r)]--;
                    isHeld[r] = true;
                }
            }
        } else {
            for (int i = 0; i < held; i++) {
                isHeld[order[i]] = true;
            }
        }
        int[] trainRows = new int[n - held];
        int[] heldRows = new int[held];
        int t = 0;
        int h = 0;
        for (int r : order) {
            if (isHeld[r]) {
                heldRows[h++] = r;
            } else {
                trainRows[t++] = r;
            }
        }
        return new Split(d.select(trainRows), d.select(heldRows));
    }

    /** k (train, test) pairs whose test parts cover every row exactly once. */
    public static List<Split> kFold(Dataset d, int k, long seed) {
        int[][] tests = kFoldTestRows(d, k, seed);
        int[] fold = new int[d.rows];
        for (int f = 0; f < k; f++) {
            for (int r : tests[f]) {
                fold[r] = f;
            }
        }
        int[] order = permutation(d.rows, seed);
        List<Split> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] train = new int[d.rows - tests[f].length];
            int t = 0;
            for (int r : order) {
                if (fold[r] != f) {
                    train[t++] = r;
                }
            }
            folds.add(new Split(d.select(train), d.select(tests[f])));
        }
        return folds;
    }

    /**
     * The test rows of each of k folds; fold sizes differ by at most one. Rows are dealt round-robin from the
     * shuffled order — grouped by class first for classification, which is what stratifies the folds.
     */
    public static int[][] kFoldTestRows(Dataset d, int k, long seed) {
        if (k < 2) {
            throw new UserError("k-fold needs k ≥ 2, got " + k);
        }
        if (k > d.rows) {
            throw new UserError("k-fold with k = " + k + " needs at least " + k + " rows; the data has " + d.rows);
        }
        int[] order = permutation(d.rows, seed);
        if (d.hasClassIndex()) {
            order = groupedByClass(d, order);
        }
        int[][] tests = new int[k][];
        for (int f = 0; f < k; f++) {
            tests[f] = new int[(d.rows - f + k - 1) / k];
        }
        for (int i = 0; i < order.length; i++) {
            tests[i % k][i / k] = order[i];
        }
        return tests;
    }

    /** A stable counting sort of {@code order} by class, keeping the shuffled order within each class. */
    private static int[] groupedByClass(Dataset d, int[] order) {
        int[] counts = classCounts(d);
        int[] start = new int[counts.length];
        for (int c = 1; c < counts.length; c++) {
            start[c] = start[c - 1] + counts[c - 1];
        }
        int[] grouped = new int[order.length];
        for (int r : order) {
            grouped[start[d.label(r)]++] = r;
        }
        return grouped;
    }

    private static int[] classCounts(Dataset d) {
        int[] counts = new int[d.numClasses()];
        for (int r = 0; r < d.rows; r++) {
            counts[d.label(r)]++;
        }
        return counts;
    }

    /**
     * Rows to hold out per class, summing to {@code held}: each class's exact share held·n_c/n rounded down, then
     * the leftover rows to the largest remainders (the largest-remainder method; ties to the lower class).
     */
    static int[] quotas(int[] counts, int held, int n) {
        int[] quota = new int[counts.length];
        double[] remainder = new double[counts.length];
        int given = 0;
        for (int c = 0; c < counts.length; c++) {
            double share = (double) held * counts[c] / n;
            quota[c] = (int) Math.floor(share);
            remainder[c] = share - quota[c];
            given += quota[c];
        }
        while (given < held) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            given++;
        }
        return quota;
    }
}
