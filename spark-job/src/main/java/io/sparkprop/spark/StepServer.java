// The driver's socket for the barrier protocol: each task connects once per run and trades partial sums for θ.
package io.sparkprop.spark;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wire format, little-endian, all from {@link Wire}: the task sends hello {@code (MAGIC, token[2], run, attempt,
 * partition)} and gets {@code (epoch, θ)} ({@code (-1)}: attempt over); then per step it sends
 * {@code (epoch, step, Σgrad[P], Σloss, compute ms)} and gets {@code (1, θ)} to go on or {@code (0)} to stop.
 * The token (128 random bits per engine) keeps strangers out; a connection that breaks fails its attempt, so
 * the other tasks hang up too and the driver re-runs the epoch.
 * Why not {@code BarrierTaskContext.allGather}: it polls its reply once a second, which is the whole budget of
 * a step many times over.
 */
final class StepServer implements AutoCloseable {
    static final int MAGIC = 0x53505250; // "SPRP"

    private final ServerSocketChannel server;
    private final long[] token = new long[2];
    private final int paramCount;
    private final String advertisedHost;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    /** The open run; its number keeps a straggling task of an earlier run from joining a later one. */
    private volatile Opened current;

    private record Opened(StepExchange exchange, int run) {
    }

    /**
     * @param bindHost       the address to listen on (the driver's bind address)
     * @param port           the port, 0 for any free one
     * @param advertisedHost the address tasks connect to (the driver's host)
     */
    StepServer(String bindHost, int port, String advertisedHost, int paramCount) throws IOException {
        this.paramCount = paramCount;
        this.advertisedHost = advertisedHost;
        SecureRandom random = new SecureRandom();
        token[0] = random.nextLong();
        token[1] = random.nextLong();
        server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(bindHost, port));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Thread acceptor = new Thread(this::acceptLoop, "sparkprop-step-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return advertisedHost;
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    long[] token() {
        return token.clone();
    }

    /** The rendezvous the next tasks will join; replaces the previous run's. Returns the run's number. */
    synchronized int open(StepExchange exchange) {
        int run = current == null ? 1 : current.run() + 1;
        current = new Opened(exchange, run);
        return run;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                open.add(ch);
                Thread t = new Thread(() -> serve(ch), "sparkprop-step-connection");
                t.setDaemon(true);
                t.start();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                // A failed accept is the task's problem (it will fail and be retried); keep listening, but do not
                // spin if accepting keeps failing (e.g. out of file descriptors).
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * The 32-byte hello, read with a time limit through the socket's stream (a channel read has none), so a
     * stranger's idle connection costs a thread for a minute at most and no θ-sized buffer.
     */
    private static ByteBuffer hello(SocketChannel ch) throws IOException {
        ch.socket().setSoTimeout(60_000);
        byte[] b = new byte[4 + 16 + 12];
        new DataInputStream(ch.socket().getInputStream()).readFully(b);
        ch.socket().setSoTimeout(0);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void serve(SocketChannel ch) {
        Opened opened = current;
        StepExchange ex = opened == null ? null : opened.exchange();
        int attempt = -1;
        try (ch) {
            ch.socket().setTcpNoDelay(true);
            ByteBuffer h = hello(ch);
            if (h.getInt(0) != MAGIC || h.getLong(4) != token[0] || h.getLong(12) != token[1] || ex == null
                    || h.getInt(20) != opened.run()) {
                return;
            }
            attempt = h.getInt(24);
            int partition = h.getInt(28);
            ByteBuffer buf = Wire.buffer(paramCount + 2);
            int epoch;
            try {
                epoch = ex.join(attempt);
            } catch (StepExchange.Abandoned over) {
                Wire.send(ch, buf, -1, null, 0);
                return;
            }
            Wire.send(ch, buf, epoch, ex.params(), paramCount);
            double[] partial = new double[paramCount + 2];
            int[] at = new int[2];
            while (true) {
                Wire.receiveStep(ch, buf, at, partial);
                double[] next = ex.exchange(attempt, partition, at[0], at[1], partial);
                if (next == null) {
                    Wire.send(ch, buf, 0, null, 0);
                    return;
                }
                Wire.send(ch, buf, 1, next, paramCount);
            }
        } catch (IOException | StepExchange.Abandoned | InterruptedException | RuntimeException e) {
            // The task hung up or the attempt is over. A task only hangs up after being told to stop, so while
            // the run goes on this means the task failed: fail its attempt, the other tasks then hang up too.
            if (ex != null && attempt >= 0) {
                ex.fail(attempt);
            }
        } finally {
            open.remove(ch);
        }
    }

    /** Stops listening and hangs up on every connection still open. */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing: nothing to recover.
            }
        }
    }

    /** Little-endian framing shared by the server and the tasks ({@link BarrierTask}). */
    static final class Wire {
        private Wire() {
        }

        static ByteBuffer buffer(int doubles) {
            return ByteBuffer.allocateDirect(8 + 8 * doubles).order(ByteOrder.LITTLE_ENDIAN);
        }

        static void readFully(SocketChannel ch, ByteBuffer buf, int bytes) throws IOException {
            buf.clear().limit(bytes);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) throw new EOFException("connection closed");
            }
        }

        static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
        }

        /** (head, a[0..n)) */
        static void send(SocketChannel ch, ByteBuffer buf, int head, double[] a, int n) throws IOException {
            buf.clear();
            buf.putInt(head);
            putDoubles(buf, a, n);
            writeFully(ch, buf);
        }

        /** (epoch, step, a[0..n)) */
        static void send(SocketChannel ch, ByteBuffer buf, int epoch, int step, double[] a, int n)
                throws IOException {
            buf.clear();
            buf.putInt(epoch).putInt(step);
            putDoubles(buf, a, n);
            writeFully(ch, buf);
        }

        private static void putDoubles(ByteBuffer buf, double[] a, int n) {
            if (n > 0) {
                int at = buf.position();
                buf.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(a, 0, n);
                buf.position(at + 8 * n);
            }
        }

        /** Reads (epoch, step) into {@code at} and the values into {@code into}. */
        static void receiveStep(SocketChannel ch, ByteBuffer buf, int[] at, double[] into) throws IOException {
            readFully(ch, buf, 8 + 8 * into.length);
            buf.position(8);
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(into);
            at[0] = buf.getInt(0);
            at[1] = buf.getInt(4);
        }

        /** Reads just the head; then {@link #receiveRest} if it says θ follows. */
        static int receiveHead(SocketChannel ch, ByteBuffer buf) throws IOException {
            readFully(ch, buf, 4);
            return buf.getInt(0);
        }

        static void receiveRest(SocketChannel ch, ByteBuffer buf, double[] into) throws IOException {
            readFully(ch, buf, 8 * into.length);
            buf.flip();
            buf.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(into);
        }

        static void hello(SocketChannel ch, ByteBuffer buf, long[] token, int run, int attempt, int partition)
                throws IOException {
            buf.clear();
            buf.putInt(MAGIC).putLong(token[0]).putLong(token[1]).putInt(run).putInt(attempt).putInt(partition);
            writeFully(ch, buf);
        }
    }
}
