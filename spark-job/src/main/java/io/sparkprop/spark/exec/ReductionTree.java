// The one order in which partition sums are added: a binary tree over partition indices, children 2i+1, 2i+2.
package io.sparkprop.spark.exec;

/**
 * Floating-point addition is not associative, so the order of a sum fixes its bits. Every protocol adds the
 * partitions' partial sums as this tree does, whatever the executor count, the tree-depth setting or which task
 * finishes first:
 * <pre>
 *   S(i) = (part[i] + S(2i+1)) + S(2i+2)      children past the last partition are left out
 *   total = S(0)
 * </pre>
 * The barrier protocol runs it literally (task i adds its children's sums and sends S(i) to task (i−1)/2); the
 * driver protocol computes whole subtrees on executors and the rest on the driver ({@link FixedOrderSum}); the
 * evaluation statistics are merged the same way. A node is at depth ⌊log₂(i+1)⌋.
 */
public final class ReductionTree {
    private ReductionTree() {
    }

    public static int parent(int i) {
        return (i - 1) / 2;
    }

    /** The first child of i (the second is one more); ≥ p means none. */
    public static int firstChild(int i) {
        return 2 * i + 1;
    }

    /** How many children node i has among p partitions: 0, 1 or 2. */
    public static int children(int i, int p) {
        return Math.max(0, Math.min(2, p - firstChild(i)));
    }

    public static int depth(int i) {
        return 31 - Integer.numberOfLeadingZeros(i + 1);
    }

    /** The depth of the deepest node among p partitions (0 for one). */
    public static int height(int p) {
        return depth(p - 1);
    }

    /** The ancestor of node i at depth d ≤ depth(i). */
    public static int ancestor(int i, int d) {
        int n = i + 1;
        return (n >>> (depth(i) - d)) - 1;
    }

    /** S(0) over parts[0..p): the arrays are reused as accumulators (parts[0] holds the result). */
    public static double[] sum(double[][] parts) {
        return subtree(parts, null, 0, parts.length);
    }

    /**
     * S(root) among p partitions. {@code own[i]} is node i's own partial, or, when {@code complete[i]} is set,
     * S(i) already computed elsewhere (then its subtree is not descended). Arrays are reused as accumulators.
     */
    public static double[] subtree(double[][] own, boolean[] complete, int root, int p) {
        double[] acc = own[root];
        if (acc == null) {
            throw new IllegalStateException("partition " + root + " of " + p + " is missing from the sum");
        }
        if (complete != null && complete[root]) {
            return acc;
        }
        for (int c = firstChild(root), k = children(root, p); k > 0; c++, k--) {
            add(acc, subtree(own, complete, c, p));
        }
        return acc;
    }

    /** a += b in place; returns a. */
    public static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }
}
