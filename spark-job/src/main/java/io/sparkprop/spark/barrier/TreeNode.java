// A barrier task's place in the reduction tree: the link up (parent task, or the driver) and its children's.
package io.sparkprop.spark.barrier;

import java.io.IOException;

import io.sparkprop.spark.exec.ReductionTree;

/**
 * Built once per barrier job ({@link TreeLinks}): task i listens for its children 2i+1 and 2i+2, tells the
 * driver's {@link StepServer} where, learns its parent's address from it (the root's parent is the driver),
 * connects to its parent and accepts its children's hellos; a parent and child in one JVM then link through a
 * {@link MemoryWire} instead of their socket, and so do the root and the driver when they share the JVM (local
 * mode). Per step {@link #sumUp} (or {@link Upward}, bucket by bucket during the backward pass) adds, chunk by
 * chunk, S(i) = (own + S(2i+1)) + S(2i+2) — the {@link ReductionTree}'s order — and sends it up, and
 * {@link #passDown} (or {@link Downward}, while the next forward pass starts) relays θ to the children
 * ({@link TreeSums}: batch-norm's exchanges mid-pass). No task moves more than three arrays per step whatever
 * the partition count.
 */
final class TreeNode implements AutoCloseable {
    private final Wire up;
    private final Wire[] down;
    /** Leading values of a STEP's sums sent up as float32: the root's gradient under float32, else none. */
    private final int floatsUp;
    private final int[] head = new int[3];
    private final int[] word = new int[3];
    private double[] theta;
    /** float32: θ as the floats it travels in, the kernel's θ (see {@link #thetaF}). */
    private float[] thetaF;
    /** float32: this task's own buffer for θ from a socket (all of θ travels as floats); null under float64. */
    private final float[] ownF;
    /** Task 0: its link up is the driver's, and it answers batch-norm's exchanges itself ({@link TreeSums}). */
    private final boolean root;

    /** Made by {@link TreeLinks#connect} once the links are up. */
    TreeNode(Wire up, Wire[] down, int floatsUp, float[] ownF, boolean root) {
        this.root = root;
        this.up = up;
        this.down = down;
        this.floatsUp = floatsUp;
        this.ownF = ownF;
    }

    /**
     * Adds the children's sums for (kind, epoch, step) into {@code mine}[0, n) and sends the result up, chunk by
     * chunk; on return {@code mine} holds S(this node).
     */
    void sumUp(int kind, int epoch, int step, double[] mine, int n) throws IOException {
        sumUpHead(kind, epoch, step);
        sumUpRange(kind, mine, 0, n);
    }

    /** Reads the children's heads, checks they are at (kind, epoch, step), and sends that head up. */
    void sumUpHead(int kind, int epoch, int step) throws IOException {
        for (Wire c : down) {
            c.readHead(head);
            if (head[0] != kind || head[1] != epoch || head[2] != step) {
                throw new IllegalStateException("a child task sent kind " + head[0] + " epoch " + (head[1] + 1)
                        + " step " + (head[2] + 1) + " while this task is at kind " + kind + " epoch " + (epoch + 1)
                        + " step " + (step + 1));
            }
        }
        up.writeInts(kind, epoch, step);
    }

    /**
     * After {@link #sumUpHead}: adds the children's values [from, to) into {@code mine}, child 2i+1 first, and
     * sends them up, a {@link Link#CHUNK} at a time from {@code from} (the pieces the parent reads). The ranges of
     * one message go in the same order at every node ({@link Buckets}).
     */
    void sumUpRange(int kind, double[] mine, int from, int to) throws IOException {
        // Only the gradient goes to the driver as floats; validation statistics are counts and sums of losses.
        int floats = kind == Link.STEP ? floatsUp : 0;
        for (int c = from; c < to; c += Link.CHUNK) {
            int end = Math.min(to, c + Link.CHUNK);
            for (Wire w : down) w.read(mine, c, end, 0, true);
            up.write(mine, c, end, floats);
        }
    }

    /** Told as θ arrives over a socket: θ[0, to) is in place. */
    @FunctionalInterface
    interface Arrival {
        Arrival NONE = to -> {
        };

        void arrived(int to);
    }

    /**
     * Receives the next word from above (head, epoch, flags), passes it on, and, if head is {@link Link#GO}, θ,
     * passed on chunk by chunk to socket children and whole to children in memory. θ arrives into {@code own}
     * (under float32 as floats, into this node's own float buffer) through a socket; through a
     * {@link MemoryWire} it stays in the parent's array, which {@link #theta} (or {@link #thetaF}) then names
     * (read only; see there). Returns {head, epoch, flags}, valid until the next call. The two halves,
     * {@link #readWord} and {@link #readTheta}, let a {@link Downward} thread tell the word before θ is in.
     */
    int[] passDown(double[] own) throws IOException {
        readWord(own);
        if (word[0] == Link.GO) {
            readTheta(Arrival.NONE);
        }
        return word;
    }

    /**
     * The first half of {@link #passDown}: the word, passed on. Given GO from a parent in memory, θ comes with it,
     * whole, and goes on to the children; from a socket {@link #theta} (or {@link #thetaF}) names the array
     * {@link #readTheta} is to fill next. Returns {head, epoch, flags}, valid until the next call.
     */
    int[] readWord(double[] own) throws IOException {
        up.readHead(word);
        for (Wire c : down) c.writeInts(word[0], word[1], word[2]);
        if (word[0] == Link.GO) {
            if (up instanceof MemoryWire parent) {
                if (ownF != null) {
                    thetaF = parent.takeFloats(ownF.length);
                    for (Wire c : down) c.writeFloats(thetaF, 0, thetaF.length);
                } else {
                    theta = parent.take(own.length);
                    for (Wire c : down) c.write(theta, 0, theta.length, 0);
                }
            } else if (ownF != null) {
                thetaF = ownF;
            } else {
                theta = own;
            }
        }
        return word;
    }

    /** Whether θ comes through a socket, in chunks ({@link #readTheta}), rather than whole with the word. */
    boolean streamsTheta() {
        return !(up instanceof MemoryWire);
    }

    /**
     * The second half of {@link #passDown} after a GO: through a socket, θ chunk by chunk into the array
     * {@link #readWord} named, {@code arrival} told as each chunk is in (before it is relayed on to the socket
     * children, who only read it too), then θ whole to the children in memory. Nothing from a parent in memory.
     */
    void readTheta(Arrival arrival) throws IOException {
        if (!streamsTheta()) {
            return;
        }
        if (ownF != null) {
            readFloats(arrival);
            return;
        }
        int n = theta.length;
        for (int from = 0; from < n; from += Link.CHUNK) {
            int to = Math.min(n, from + Link.CHUNK);
            up.read(theta, from, to, 0, false);
            arrival.arrived(to);
            for (Wire c : down) {
                if (c instanceof Link) c.write(theta, from, to, 0);
            }
        }
        for (Wire c : down) {
            if (c instanceof MemoryWire) c.write(theta, 0, n, 0);
        }
    }

    /** float32 θ: the same relay on floats, which stay floats from the driver's socket to every task's kernel. */
    private void readFloats(Arrival arrival) throws IOException {
        int n = ownF.length;
        for (int from = 0; from < n; from += Link.CHUNK) {
            int to = Math.min(n, from + Link.CHUNK);
            up.readFloats(ownF, from, to);
            arrival.arrived(to);
            for (Wire c : down) {
                if (c instanceof Link) c.writeFloats(ownF, from, to);
            }
        }
        for (Wire c : down) {
            if (c instanceof MemoryWire) c.writeFloats(ownF, 0, n);
        }
    }

    /**
     * The array holding the last θ passed down (null under float32: see {@link #thetaF}): the caller's own, or
     * the one its in-memory ancestors share. It must not be written, and stays unchanged until the next
     * {@link #passDown} (or {@link #readTheta}): the root (or, linked in memory, the driver's training thread) rewrites it only when the
     * next θ comes, which is after every task of the tree has sent this step's sums up. From a socket under a
     * {@link Downward} it fills while the step runs: only θ[0, to) told by {@link Arrival} may be read.
     */
    double[] theta() {
        return theta;
    }

    /** Under float32, the floats holding the last θ passed down, on the terms of {@link #theta}; else null. */
    float[] thetaF() {
        return thetaF;
    }

    /** The link up (the driver's at the root), the links down, and whether this is the root: for {@link TreeSums}. */
    Wire up() {
        return up;
    }

    Wire[] down() {
        return down;
    }

    boolean root() {
        return root;
    }

    /** Bytes through this task's links (up and down, both ways) since the last call. */
    long takeBytes() {
        long b = up.takeBytes();
        for (Wire c : down) b += c.takeBytes();
        return b;
    }

    @Override
    public void close() {
        closeAll(up, down);
    }

    /** Closes the links made so far (null where none was). */
    static void closeAll(Wire up, Wire[] down) {
        try {
            if (up != null) up.close();
        } catch (IOException ignored) {
            // Closing: nothing to recover.
        }
        for (Wire c : down) {
            try {
                if (c != null) c.close();
            } catch (IOException ignored) {
                // Closing: nothing to recover.
            }
        }
    }
}
