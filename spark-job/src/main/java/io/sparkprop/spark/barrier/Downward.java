// A barrier task's receiver: θ comes down the tree chunk by chunk while the task's next forward pass already runs.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Once a step's sums have gone up, the task's thread {@link #request}s the next word, and this receiver's own
 * thread reads it from the parent (passing it on to the children), tells it ({@link #word}), then reads θ chunk
 * by chunk, first layer first, relaying each chunk to the socket children as {@link TreeNode#passDown} does, and
 * tells how far θ has come. The task's thread starts the step as soon as it has the word; its forward pass waits
 * in {@link #awaitParams} only for the layer it is about to use, and its backward pass for the whole θ. Only a
 * parent through a socket sends θ in chunks; a parent in memory hands it over whole, so that link needs none of
 * this. The bits are those of {@link TreeNode#passDown}: the same values, read later or sooner.
 *
 * <p>This thread and {@link Upward}'s never use the node's links at the same time: this one reads only after a
 * request (the task's sums all sent), and the task's thread and {@link Upward} touch the links again only after
 * {@link #awaitDone} (θ whole and relayed to every child).
 */
final class Downward extends LinkThread {
    /** Receivers made in this JVM so far: for tests and diagnostics. */
    private static final AtomicLong MADE = new AtomicLong();
    private final TreeNode node;
    /** The task's θ buffer under float64 (under float32 θ fills the node's own floats instead). */
    private final double[] own;
    private final int params;
    /** Told by {@link TreeNode#readTheta} after each chunk; made once. */
    private final TreeNode.Arrival arrival = this::arrived;
    /** The last word read: {head, epoch, flags}; guarded by this. */
    private final int[] word = new int[3];
    private boolean requested;
    private boolean haveWord;
    /** θ[0, arrived) of the word in progress is in place; P once no more is coming. */
    private int arrived;
    /** The links are this thread's no more: θ is whole and every child has it, or no θ came. */
    private boolean done = true;

    Downward(TreeNode node, double[] own, int params, int partition) {
        super("sparkprop-downward-" + partition);
        this.node = node;
        this.own = own;
        this.params = params;
        this.arrived = params;
        start();
        MADE.incrementAndGet();
    }

    static long made() {
        return MADE.get();
    }

    /** Task thread, once its step's sums have gone up: the next word, and θ after a GO, may come down now. */
    synchronized void request() {
        requested = true;
        haveWord = false;
        arrived = 0;
        done = false;
        notifyAll();
    }

    /** Task thread: waits for the word {head, epoch, flags} of the last {@link #request}; valid until the next. */
    synchronized int[] word() throws IOException {
        try {
            while (!haveWord && failure == null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        }
        check(haveWord);
        return word;
    }

    /** Forward pass (task thread): returns once θ[0, to) is in place; throws if it never will be. */
    synchronized void awaitParams(int to) throws IOException {
        try {
            while (arrived < to && failure == null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        }
        check(arrived >= to);
    }

    /** Returns once θ is whole and relayed (or no θ came): the links are free for the task's next use. */
    synchronized void awaitDone() throws IOException {
        try {
            while (!done && failure == null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        }
        check(done);
    }

    /** After a wait (the waits allocate nothing: they run per layer per step): this thread's failure, or its end. */
    private void check(boolean reached) throws IOException {
        if (failure != null) {
            throw failureAsIo("receiving θ failed");
        }
        if (!reached) {
            throw new IOException("the receiver of θ stopped");
        }
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while waiting for θ from the parent");
    }

    private synchronized void arrived(int to) {
        arrived = to;
        notifyAll();
    }

    @Override
    void loop() throws IOException, InterruptedException {
        while (true) {
            synchronized (this) {
                while (!requested && !closed) {
                    wait();
                }
                if (closed) {
                    return;
                }
                requested = false;
            }
            int[] w = node.readWord(own);
            boolean go = w[0] == Link.GO;
            synchronized (this) {
                System.arraycopy(w, 0, word, 0, 3);
                haveWord = true;
                if (!go) {
                    arrived = params;
                }
                notifyAll();
            }
            if (go) {
                node.readTheta(arrival);
            }
            synchronized (this) {
                arrived = params;
                done = true;
                notifyAll();
            }
        }
    }
}
