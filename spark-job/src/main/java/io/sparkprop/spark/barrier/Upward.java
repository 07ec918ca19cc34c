// A barrier task's sender: its step's sums go up the tree bucket by bucket while the backward pass still runs.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.io.InterruptedIOException;

import io.sparkprop.trainer.nn.Overlap;

/**
 * The task's thread computes the step's partial; the backward pass tells this {@link Overlap} as each layer's
 * gradient is final, last layer first, and this sender's own thread sends the {@link Buckets} that are complete:
 * for each bucket it adds the children's same bucket (child 2i+1 first, as {@link TreeNode#sumUp} does) and
 * passes the sum on to the parent. So the exchange of the last layers overlaps the backward pass of the first,
 * and a parent's adding overlaps its children's compute. The bits are those of {@link TreeNode#sumUp}. The
 * task's thread waits in {@link #finish} until the whole S(i) has gone up, then θ comes back down (through a
 * {@link Downward} while the next forward pass starts, or on the task's thread). No two threads use the node's
 * links at the same time: this sender starts a step's sums only once that step's θ is whole and relayed
 * ({@link Downward#awaitDone}), and the task's thread waits for this sender before θ comes down again.
 */
final class Upward extends LinkThread implements Overlap {
    private final TreeNode node;
    private final Buckets buckets;
    private final int params;
    /** The receiver still relaying the step's θ when the step begins, or null (θ came whole before it). */
    private final Downward downward;
    /** The step to send, set by {@link #begin}; guarded by this. */
    private double[] mine;
    private int epoch;
    private int step;
    private boolean begun;
    /** Gradient values [readyFrom, P) of the step in progress are final; with {@link #whole}, all of it. */
    private int readyFrom;
    private boolean whole;
    private boolean sent;

    Upward(TreeNode node, Buckets buckets, int params, int partition, Downward downward) {
        super("sparkprop-upward-" + partition);
        this.node = node;
        this.downward = downward;
        this.buckets = buckets;
        this.params = params;
        start();
    }

    /** Task thread, before the step's pass: {@code mine} (the whole partial) goes up as it becomes final. */
    synchronized void begin(int e, int s, double[] partial) {
        mine = partial;
        epoch = e;
        step = s;
        readyFrom = params;
        whole = false;
        sent = false;
        begun = true;
        notifyAll();
    }

    /** Backward pass (task thread): the gradient's values [from, to) are final. */
    @Override
    public synchronized void gradientReady(int from, int to) {
        if (from < readyFrom) {
            readyFrom = from;
            notifyAll();
        }
    }

    /** Task thread, after the pass: the whole partial (the tail too) is final; returns once S(i) has gone up. */
    synchronized void finish() throws IOException {
        whole = true;
        notifyAll();
        try {
            while (!sent && failure == null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the step's sums went up");
        }
        if (failure != null) {
            throw failureAsIo("sending the step's sums up failed");
        }
        if (!sent) {
            throw new IOException("the sender stopped");
        }
    }

    @Override
    void loop() throws IOException, InterruptedException {
        while (true) {
            double[] a;
            int e;
            int s;
            synchronized (this) {
                while (!begun && !closed) {
                    wait();
                }
                if (closed) {
                    return;
                }
                begun = false;
                a = mine;
                e = epoch;
                s = step;
            }
            if (downward != null) {
                downward.awaitDone(); // its last chunks may still be going on to the children
            }
            node.sumUpHead(Link.STEP, e, s);
            for (int k = 0; k < buckets.count(); k++) {
                if (!awaitReady(k)) {
                    return;
                }
                node.sumUpRange(Link.STEP, a, buckets.from(k), buckets.to(k));
            }
            synchronized (this) {
                sent = true;
                notifyAll();
            }
        }
    }

    /** Waits until bucket k of the local partial is final; false once closed. */
    private synchronized boolean awaitReady(int k) throws InterruptedException {
        while (!closed && !whole && !(buckets.inGradient(k) && readyFrom <= buckets.from(k))) {
            wait();
        }
        return !closed;
    }
}
