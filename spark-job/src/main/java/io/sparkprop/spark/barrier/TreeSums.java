// batch-norm's exchange in a barrier task: mid-pass, a layer's sums go up the tree and the global batch's come back.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.sparkprop.trainer.nn.BatchSums;

/**
 * S(i) = (v + S(2i+1)) + S(2i+2), the reduction tree's order (so the bits of the driver protocol's
 * {@link io.sparkprop.spark.engine.FixedOrderSum} of the same partials), goes up; the root's S(0) comes back down,
 * and every node relays it to its children: on return v holds S(0) at every task. The root answers without the
 * driver. Values travel as doubles in both precisions, in {@link Link#CHUNK}s. A task's links carry nothing else
 * during the pass: a batch-norm network's step sums go up after it ({@link BarrierTask} sends no buckets then).
 */
final class TreeSums implements BatchSums {
    private final TreeNode node;
    private final int[] head = new int[3];
    private int epoch;
    private int step;

    TreeSums(TreeNode node) {
        this.node = node;
    }

    /** The step the next exchanges belong to (their messages carry it, and are checked against it). */
    void at(int e, int s) {
        epoch = e;
        step = s;
    }

    @Override
    public void allSum(int layer, boolean backward, double[] v) {
        try {
            exchange(v);
        } catch (IOException e) {
            throw new UncheckedIOException("batch-norm's exchange (layer " + layer + ") lost a link", e);
        }
    }

    private void exchange(double[] v) throws IOException {
        int n = v.length;
        Wire up = node.up();
        Wire[] down = node.down();
        for (Wire c : down) {
            c.readHead(head);
            expect("a child task");
        }
        for (int c = 0; c < n; c += Link.CHUNK) {
            int end = Math.min(n, c + Link.CHUNK);
            for (Wire w : down) w.read(v, c, end, 0, true);
        }
        if (!node.root()) {
            up.writeInts(Link.NORM, epoch, step);
            for (int c = 0; c < n; c += Link.CHUNK) up.write(v, c, Math.min(n, c + Link.CHUNK), 0);
            up.readHead(head);
            expect("the parent task");
            for (int c = 0; c < n; c += Link.CHUNK) up.read(v, c, Math.min(n, c + Link.CHUNK), 0, false);
        }
        for (Wire w : down) {
            w.writeInts(Link.NORM, epoch, step);
            for (int c = 0; c < n; c += Link.CHUNK) w.write(v, c, Math.min(n, c + Link.CHUNK), 0);
        }
    }

    private void expect(String who) {
        if (head[0] != Link.NORM || head[1] != epoch || head[2] != step) {
            throw new IllegalStateException(who + " sent kind " + head[0] + " epoch " + (head[1] + 1) + " step "
                    + (head[2] + 1) + " during batch-norm's exchange of epoch " + (epoch + 1) + " step " + (step + 1));
        }
    }
}
