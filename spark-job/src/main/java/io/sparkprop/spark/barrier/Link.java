// One socket of the barrier protocol's tree (task to parent task, or root task to driver), with its framing.
package io.sparkprop.spark.barrier;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian throughout. Arrays travel in chunks of {@link #CHUNK} values so a node can add and pass on the
 * first chunk of its children's sums (or of θ) before the last has arrived: a tree of height H then costs about
 * one array's transfer plus H chunks, not H arrays. The first {@code floats} values of an array travel as
 * float32 (θ and the root's gradient sum under compute.precision = float32), the rest as float64.
 * Messages:
 * <pre>
 *   hello  child → parent  (MAGIC, token[2], run, attempt, partition)              32 bytes
 *   where  task → driver   after its hello: (length, UTF-8 "host:port" it listens on)
 *   parent driver → task   (GO, length, UTF-8 "host:port" of its parent) | (REFUSED), all but the root
 *   mode   root → driver   after its address: BY_SOCKET | IN_MEMORY; if IN_MEMORY the driver answers which it takes
 *   down   parent → child  (head) then θ[P] if head = GO                          head: GO | STOP | REFUSED
 *   up     child → parent  (kind, epoch, step) then values[L]                     kind: STEP | METRICS
 *                          (a STEP's values in {@link Buckets}: the gradient's end first)
 *   norm   child → parent  (NORM, epoch, step) then a batch-norm layer's sums, mid-pass; the root answers down
 *          parent → child  (NORM, epoch, step) then the global batch's sums             ({@link TreeSums#allSum})
 * </pre>
 * {@link #takeBytes} counts what went through this socket both ways (the driver's figure of bytes per step).
 */
final class Link implements Wire {
    static final int MAGIC = 0x53505250; // "SPRP"
    static final int HELLO_BYTES = 4 + 16 + 12;
    static final int CHUNK = 65536;
    /** Longest text a peer may send (an address is far shorter). */
    static final int MAX_TEXT = 1024;
    static final int GO = 1;
    static final int STOP = 0;
    static final int REFUSED = -1;
    static final int STEP = 1;
    static final int METRICS = 2;
    static final int NORM = 3;

    final SocketChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(8 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    /** One chunk of values read before they are added in. */
    private final double[] scratch = new double[CHUNK];
    private long bytes;

    Link(SocketChannel ch) throws IOException {
        this.ch = ch;
        ch.socket().setTcpNoDelay(true);
    }

    static Link connect(String host, int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(host, port), 60_000);
            return new Link(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public long takeBytes() {
        long b = bytes;
        bytes = 0;
        return b;
    }

    void hello(long[] token, int run, int attempt, int partition) throws IOException {
        buf.clear();
        buf.putInt(MAGIC).putLong(token[0]).putLong(token[1]).putInt(run).putInt(attempt).putInt(partition);
        flush();
    }

    /**
     * Reads a hello with a time limit through the socket's stream (a channel read has none), so a stranger's
     * idle connection costs a minute at most. Returns (run, attempt, partition), or null if it is not ours.
     */
    int[] readHello(long[] token) throws IOException {
        ch.socket().setSoTimeout(60_000);
        byte[] b = new byte[HELLO_BYTES];
        new DataInputStream(ch.socket().getInputStream()).readFully(b);
        ch.socket().setSoTimeout(0);
        bytes += HELLO_BYTES;
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != MAGIC || h.getLong(4) != token[0] || h.getLong(12) != token[1]) {
            return null;
        }
        return new int[] {h.getInt(20), h.getInt(24), h.getInt(28)};
    }

    /** A short text (an address): its UTF-8 length, then its bytes. */
    void writeText(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_TEXT) {
            throw new IllegalArgumentException("text of " + b.length + " bytes: at most " + MAX_TEXT);
        }
        buf.clear();
        buf.putInt(b.length).put(b);
        flush();
    }

    /** Reads a text sent by {@link #writeText}; null if its length is out of range (not our peer). */
    String readText() throws IOException {
        int n = readInt();
        if (n < 0 || n > MAX_TEXT) {
            return null;
        }
        fill(n);
        byte[] b = new byte[n];
        buf.position(0);
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    void writeInts(int a) throws IOException {
        buf.clear();
        buf.putInt(a);
        flush();
    }

    @Override
    public void writeInts(int a, int b, int c) throws IOException {
        buf.clear();
        buf.putInt(a).putInt(b).putInt(c);
        flush();
    }

    int readInt() throws IOException {
        fill(4);
        return buf.getInt(0);
    }

    @Override
    public void readHead(int[] into) throws IOException {
        fill(12);
        into[0] = buf.getInt(0);
        into[1] = buf.getInt(4);
        into[2] = buf.getInt(8);
    }

    /** A chunk at a time. */
    @Override
    public void write(double[] a, int from, int to, int floats) throws IOException {
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            int f = Math.max(c, Math.min(end, floats));
            buf.clear();
            for (int i = c; i < f; i++) buf.putFloat((float) a[i]);
            if (end > f) {
                int at = buf.position();
                buf.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(a, f, end - f);
                buf.position(at + 8 * (end - f));
            }
            flush();
        }
    }

    @Override
    public void read(double[] a, int from, int to, int floats, boolean add) throws IOException {
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            int f = Math.max(c, Math.min(end, floats));
            fill(4 * (f - c) + 8 * (end - f));
            buf.position(0);
            for (int i = c; i < f; i++) {
                float v = buf.getFloat();
                a[i] = add ? a[i] + v : v;
            }
            if (end > f) {
                int n = end - f;
                var doubles = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                if (add) {
                    doubles.get(scratch, 0, n);
                    for (int k = 0; k < n; k++) a[f + k] += scratch[k];
                } else {
                    doubles.get(a, f, n);
                }
            }
        }
    }

    /** A chunk at a time, the framing of {@link #write} with every value a float. */
    @Override
    public void writeFloats(float[] a, int from, int to) throws IOException {
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            buf.clear();
            buf.asFloatBuffer().put(a, c, end - c);
            buf.position(4 * (end - c));
            flush();
        }
    }

    @Override
    public void readFloats(float[] a, int from, int to) throws IOException {
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            fill(4 * (end - c));
            buf.position(0);
            buf.asFloatBuffer().get(a, c, end - c);
        }
    }

    private void fill(int n) throws IOException {
        buf.clear().limit(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) throw new EOFException("connection closed");
        }
        bytes += n;
    }

    private void flush() throws IOException {
        buf.flip();
        bytes += buf.remaining();
        while (buf.hasRemaining()) ch.write(buf);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
