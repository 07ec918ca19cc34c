// A tree link between two tasks in one JVM (local mode, a multi-core executor): arrays handed over, not copied.
package io.sparkprop.spark.barrier;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Through a loopback socket every link copies each array four times (into the send buffer, into the kernel, out
 * of it, out of the receive buffer); here the writer posts a reference to its array range and the reader adds or
 * copies it straight from there, rounding to float32 where the socket would have (so the bits are the
 * socket's), or for θ {@link #take}s the array itself ({@link #takeFloats} under float32).
 * The writer does not wait: the tree's order keeps a range unchanged until its reader is done with it (a node
 * rewrites its sums only after θ came back down, and θ only after its children's sums went up).
 *
 * <p>A parent task {@link #listen}s under a key made of the run's secret token, run, attempt and its partition;
 * a child that finds the key (so shares the JVM) {@link #offer}s a wire, says so after its socket hello, and
 * switches to the wire once the parent has {@link #accept}ed it and said GO on the socket. The driver's
 * {@link StepServer} listens the same way for the root task of each run ({@link #driverKey}).
 */
final class MemoryWire implements Wire {
    private static final Object CLOSED = new Object();
    /** Parents of this JVM accepting children: key → (child partition → the parent's end of its wire). */
    private static final Map<String, Map<Integer, MemoryWire>> LISTENING = new ConcurrentHashMap<>();
    /** Wires a parent of this JVM has accepted so far. */
    private static final AtomicLong ACCEPTED = new AtomicLong();

    private record Head(int a, int b, int c) {
    }

    private record Values(double[] a, int from, int to, int floats) {
    }

    private record Floats(float[] a, int from, int to) {
    }

    /** What the peer sent, in order; unbounded, so a write never blocks. */
    private final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
    private MemoryWire peer;
    /** Either end hung up: no more writes. */
    private volatile boolean closed;
    /** This end hung up: no more reads either. */
    private volatile boolean closedHere;
    private long bytes;

    private MemoryWire() {
    }

    static String key(long[] token, int run, int attempt, int partition) {
        return Long.toHexString(token[0]) + ":" + Long.toHexString(token[1]) + ":" + run + ":" + attempt + ":"
                + partition;
    }

    /**
     * The key under which the driver's {@link StepServer} takes the root task's wire for run {@code run} (local
     * mode: the driver is the root's parent in the same JVM); the root offers it with its attempt as the child.
     */
    static String driverKey(long[] token, int run) {
        return key(token, run, -1, -1);
    }

    /** A parent starts taking its children's wires (before it tells the driver where it listens). */
    static void listen(String key) {
        LISTENING.put(key, new ConcurrentHashMap<>());
    }

    /** The parent stops; ends no child was accepted for are closed, so their child sees the link end. */
    static void unlisten(String key) {
        Map<Integer, MemoryWire> left = LISTENING.remove(key);
        if (left != null) {
            left.values().forEach(MemoryWire::close);
        }
    }

    /** A child's end of a new wire to its parent if the parent listens in this JVM, else null. */
    static MemoryWire offer(String parentKey, int child) {
        Map<Integer, MemoryWire> ends = LISTENING.get(parentKey);
        if (ends == null) {
            return null;
        }
        MemoryWire mine = new MemoryWire();
        MemoryWire theirs = new MemoryWire();
        mine.peer = theirs;
        theirs.peer = mine;
        MemoryWire stale = ends.put(child, theirs);
        if (stale != null) {
            stale.close();
        }
        return mine;
    }

    /** The parent task's end of the wire {@code child} offered, or null if it offered none. */
    static MemoryWire accept(String key, int child) {
        MemoryWire end = acceptByDriver(key, child);
        if (end != null) {
            ACCEPTED.incrementAndGet();
        }
        return end;
    }

    /** As {@link #accept}, for the driver's end of the root's wire: not counted among the tasks' links. */
    static MemoryWire acceptByDriver(String key, int child) {
        Map<Integer, MemoryWire> ends = LISTENING.get(key);
        return ends == null ? null : ends.remove(child);
    }

    static long accepted() {
        return ACCEPTED.get();
    }

    @Override
    public void writeInts(int a, int b, int c) throws IOException {
        send(new Head(a, b, c), 12);
    }

    @Override
    public void readHead(int[] into) throws IOException {
        Head h = next(Head.class);
        into[0] = h.a();
        into[1] = h.b();
        into[2] = h.c();
        bytes += 12;
    }

    @Override
    public void write(double[] a, int from, int to, int floats) throws IOException {
        send(new Values(a, from, to, floats), size(from, to, floats));
    }

    @Override
    public void read(double[] a, int from, int to, int floats, boolean add) throws IOException {
        Values v = next(Values.class);
        int f = floatEnd(from, to, floats);
        if (v.from() != from || v.to() != to || floatEnd(from, to, v.floats()) != f) {
            throw new IllegalStateException("a peer sent values [" + v.from() + ", " + v.to() + ") where ["
                    + from + ", " + to + ") were due");
        }
        double[] src = v.a();
        for (int i = from; i < f; i++) {
            double x = (float) src[i];
            a[i] = add ? a[i] + x : x;
        }
        if (add) {
            for (int i = f; i < to; i++) a[i] += src[i];
        } else {
            System.arraycopy(src, f, a, f, to - f);
        }
        bytes += size(from, to, floats);
    }

    /**
     * Reads a whole array [0, n) of doubles without copying it: the sender's own array, which the caller must
     * only read. Only float64 θ is taken this way; float32 θ travels as floats ({@link #takeFloats}).
     */
    double[] take(int n) throws IOException {
        Values v = next(Values.class);
        if (v.from() != 0 || v.to() != n || floatEnd(0, n, v.floats()) != 0) {
            throw new IllegalStateException("a peer sent values [" + v.from() + ", " + v.to() + ") where [0, " + n
                    + ") of doubles were due");
        }
        bytes += size(0, n, 0);
        return v.a();
    }

    @Override
    public void writeFloats(float[] a, int from, int to) throws IOException {
        send(new Floats(a, from, to), 4L * (to - from));
    }

    @Override
    public void readFloats(float[] a, int from, int to) throws IOException {
        Floats v = floats(from, to);
        System.arraycopy(v.a(), from, a, from, to - from);
    }

    /** A whole float array [0, n) without copying it (float32 θ): the sender's own, for the caller only to read. */
    float[] takeFloats(int n) throws IOException {
        return floats(0, n).a();
    }

    private Floats floats(int from, int to) throws IOException {
        Floats v = next(Floats.class);
        if (v.from() != from || v.to() != to) {
            throw new IllegalStateException("a peer sent floats [" + v.from() + ", " + v.to() + ") where ["
                    + from + ", " + to + ") were due");
        }
        bytes += 4L * (to - from);
        return v;
    }

    @Override
    public long takeBytes() {
        long b = bytes;
        bytes = 0;
        return b;
    }

    /** Ends the wire both ways: the peer's reads (after what was sent) and this end's reads fail. */
    @Override
    public void close() {
        closedHere = true;
        closed = true;
        in.offer(CLOSED);
        if (peer != null) {
            peer.closed = true;
            peer.in.offer(CLOSED);
        }
    }

    /** Where float32 values end in [from, to): those below {@code floats} travel as floats. */
    private static int floatEnd(int from, int to, int floats) {
        return Math.max(from, Math.min(to, floats));
    }

    /** Bytes the socket framing gives [from, to): 4 per float32 value, 8 per float64 one. */
    private static long size(int from, int to, int floats) {
        int f = floatEnd(from, to, floats);
        return 4L * (f - from) + 8L * (to - f);
    }

    private void send(Object message, long size) throws IOException {
        if (closed) {
            throw new EOFException("connection closed");
        }
        peer.in.add(message);
        bytes += size;
    }

    private <T> T next(Class<T> type) throws IOException {
        if (closedHere) {
            throw new EOFException("connection closed");
        }
        Object m;
        try {
            m = in.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while waiting for a peer task");
        }
        if (m == CLOSED) {
            in.offer(CLOSED); // every later read fails too
            throw new EOFException("connection closed");
        }
        if (!type.isInstance(m)) {
            throw new IllegalStateException("a peer sent " + m.getClass().getSimpleName() + " where "
                    + type.getSimpleName() + " was due");
        }
        return type.cast(m);
    }
}
