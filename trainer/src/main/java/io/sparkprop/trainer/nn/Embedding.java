// embedding: the categorical columns' codes looked up in one table each, concatenated with the numeric features.
package io.sparkprop.trainer.nn;

/**
 * Input: f features per example, of which the {@link Categorical} slots hold codes. Output per example
 * (o = q·dim + f − q values, q categorical columns): table row of column 0 (dim values), …, of column q−1, then
 * the numeric features in their order. Table j has cardinality_j + 1 rows; row cardinality_j is the reserved
 * unseen-category row. W holds the tables one after another, row r at wOffset + r·dim.
 * Backward adds dOut into exactly the rows used (dW of every other row stays 0; the optimizer still updates the
 * whole flat θ densely, as PyTorch's non-sparse Embedding with Adam does), passes the numeric features' gradient
 * through and gives the codes gradient 0 (they are indices, not values).
 */
final class Embedding {
    final int features;
    final int dim;
    final int outSize;
    final Categorical cats;
    /** First table row of column j. */
    final int[] rowBase;
    /** The feature index of each numeric output position. */
    final int[] numeric;

    Embedding(Categorical cats, int features, int dim) {
        this.cats = cats;
        this.features = features;
        this.dim = dim;
        int q = cats.count();
        this.outSize = q * dim + features - q;
        this.rowBase = new int[q];
        for (int j = 1; j < q; j++) rowBase[j] = rowBase[j - 1] + cats.rows(j - 1);
        this.numeric = new int[features - q];
        for (int i = 0, k = 0; i < features; i++) {
            if (!cats.isSlot(i)) numeric[k++] = i;
        }
    }

    /** The table row (within W) of {@code code} in column j; an invalid code throws naming the column. */
    private int row(double code, int j) {
        int r = cats.row(j, code);
        if (r < 0) {
            throw new IllegalArgumentException(cats.badCode(j, code));
        }
        return rowBase[j] + r;
    }

    void forward(double[] y, double[] params, int w, double[] x, int n) {
        int q = cats.count();
        for (int c = 0; c < n; c++) {
            int in = c * features;
            int o = c * outSize;
            for (int j = 0; j < q; j++, o += dim) {
                System.arraycopy(params, w + row(x[in + cats.slots()[j]], j) * dim, y, o, dim);
            }
            for (int k : numeric) y[o++] = x[in + k];
        }
    }

    /** grad's used rows += dOut (accumulated); dIn (overwritten, or null): numeric pass-through, codes 0. */
    void backward(double[] dIn, double[] grad, double[] dOut, double[] x, int w, int n) {
        int q = cats.count();
        for (int c = 0; c < n; c++) {
            int in = c * features;
            int o = c * outSize;
            for (int j = 0; j < q; j++, o += dim) {
                int at = w + row(x[in + cats.slots()[j]], j) * dim;
                for (int i = 0; i < dim; i++) grad[at + i] += dOut[o + i];
                if (dIn != null) dIn[in + cats.slots()[j]] = 0;
            }
            if (dIn != null) {
                for (int k : numeric) dIn[in + k] = dOut[o++];
            }
        }
    }

    void forward(float[] y, float[] params, int w, float[] x, int n) {
        int q = cats.count();
        for (int c = 0; c < n; c++) {
            int in = c * features;
            int o = c * outSize;
            for (int j = 0; j < q; j++, o += dim) {
                System.arraycopy(params, w + row(x[in + cats.slots()[j]], j) * dim, y, o, dim);
            }
            for (int k : numeric) y[o++] = x[in + k];
        }
    }

    /** The float twin; the tables' slice of grad is OVERWRITTEN (zeroed, then the used rows added). */
    void backward(float[] dIn, float[] grad, float[] dOut, float[] x, int w, int n) {
        java.util.Arrays.fill(grad, w, w + tableSize(), 0f);
        int q = cats.count();
        for (int c = 0; c < n; c++) {
            int in = c * features;
            int o = c * outSize;
            for (int j = 0; j < q; j++, o += dim) {
                int at = w + row(x[in + cats.slots()[j]], j) * dim;
                for (int i = 0; i < dim; i++) grad[at + i] += dOut[o + i];
                if (dIn != null) dIn[in + cats.slots()[j]] = 0;
            }
            if (dIn != null) {
                for (int k : numeric) dIn[in + k] = dOut[o++];
            }
        }
    }

    /** Values in all tables. */
    int tableSize() {
        int q = cats.count();
        return q == 0 ? 0 : (rowBase[q - 1] + cats.rows(q - 1)) * dim;
    }
}
