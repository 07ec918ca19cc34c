// The driver's socket for the barrier protocol: the root task of each run connects once and trades S(0) for θ.
package io.sparkprop.spark.barrier;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Every task of a job says hello here once, with the address its listener has, and all but the root get back
 * their parent's address ({@link TaskAddresses}) and hang up. Only partition 0, the tree's root, stays (through
 * the socket, or a {@link MemoryWire} when it runs in the driver's JVM, as in local mode): it gets
 * (GO, epoch, flags) and θ (or REFUSED: attempt over); then per step it sends (STEP, epoch, step, S(0)) and gets
 * (GO) and θ, or (STOP); at the end of an epoch with in-job validation it sends (METRICS, epoch, −1, Σ
 * statistics) and gets no answer. The connection's thread only moves these bytes: the θ it sends and the S(0) it
 * receives are traded with the training thread through the run's {@link StepExchange}. The token (128 random
 * bits per engine) keeps strangers out; a connection that breaks fails its attempt, and the driver re-runs the
 * epoch. Why not {@code BarrierTaskContext.allGather} per step: it polls its reply once a second, the whole
 * budget of a step many times over (and a second of every job's start).
 * {@link #bytes} counts every byte through these connections, both ways.
 */
public final class StepServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StepServer.class);
    private final ServerSocketChannel server;
    private final long[] token = new long[2];
    private final String advertisedHost;
    /** Connections (and the root's wires) still open, hung up on by {@link #close}. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    /** The open run; its number keeps a straggling task of an earlier run from joining a later one. */
    private volatile Opened current;

    private record Opened(StepExchange exchange, int run) {
    }

    /**
     * @param bindHost       the address to listen on (the driver's bind address)
     * @param port           the port, 0 for any free one
     * @param advertisedHost the address tasks connect to (the driver's host)
     */
    public StepServer(String bindHost, int port, String advertisedHost) throws IOException {
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

    String address() {
        return advertisedHost + ":" + ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    long[] token() {
        return token.clone();
    }

    /** Bytes through the tasks' connections so far (both ways). */
    public long bytes() {
        return bytes.get();
    }

    /** The rendezvous the next tasks will join; replaces the previous run's. Returns the run's number. */
    synchronized int open(StepExchange exchange) {
        int run = current == null ? 1 : current.run() + 1;
        if (current != null) {
            MemoryWire.unlisten(MemoryWire.driverKey(token, current.run()));
        }
        MemoryWire.listen(MemoryWire.driverKey(token, run)); // a root task in this JVM links in memory
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
                // A failed accept is the task's problem (it fails and is retried); keep listening, but do not spin
                // if accepting keeps failing (e.g. out of file descriptors).
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        Opened opened = current;
        StepExchange ex = opened == null ? null : opened.exchange();
        int attempt = -1;
        Link link = null;
        // The root's link: the socket, or a MemoryWire when the root task runs in this JVM (same bytes counted).
        Wire root = null;
        try (ch) {
            link = new Link(ch);
            int[] hello = link.readHello(token);
            if (hello == null || ex == null || hello[0] != opened.run()) {
                return;
            }
            int partition = hello[2];
            String listens = link.readText();
            if (listens == null) {
                return;
            }
            StepExchange.Start start;
            try {
                ex.addresses().put(hello[1], partition, listens);
                if (partition != 0) {
                    String parent = ex.addresses().parentOf(hello[1], partition, 120_000);
                    link.writeInts(Link.GO);
                    link.writeText(parent);
                    return;
                }
                root = link;
                if (link.readInt() == TreeLinks.IN_MEMORY) {
                    MemoryWire wire = MemoryWire.acceptByDriver(MemoryWire.driverKey(token, opened.run()), hello[1]);
                    link.writeInts(wire == null ? TreeLinks.BY_SOCKET : TreeLinks.IN_MEMORY);
                    if (wire != null) {
                        root = wire;
                        open.add(wire);
                    }
                }
                start = ex.join(hello[1], root);
                attempt = hello[1];
            } catch (Abandoned over) {
                root = root == null ? link : root;
                root.writeInts(Link.REFUSED, 0, 0);
                return;
            }
            double[] theta = start.theta();
            int floats = ex.shape().float32() ? theta.length : 0;
            // float32 θ to a root in memory: rounded here, once per step, into floats the tasks take as they are.
            float[] thetaF = floats > 0 && root instanceof MemoryWire ? new float[floats] : null;
            try {
                root.writeInts(Link.GO, start.epoch(), start.metricsFirst() ? 1 : 0);
                sendTheta(root, theta, floats, thetaF);
            } finally {
                ex.sent();
            }
            double[] sum = ex.shape().layout().newArray();
            double[] stats = ex.shape().metricsLength() > 0 ? new double[ex.shape().metricsLength()] : null;
            int[] head = new int[3];
            while (true) {
                root.readHead(head);
                if (head[0] == Link.METRICS && stats != null) {
                    root.read(stats, 0, stats.length, 0, false);
                    ex.metrics(attempt, head[1], stats);
                    continue;
                }
                if (head[0] != Link.STEP) {
                    throw new IllegalStateException("unexpected message kind " + head[0]);
                }
                // In the order the tasks send it, the pieces they send (one read per piece for a wire in memory).
                Buckets buckets = ex.shape().buckets();
                for (int k = 0; k < buckets.count(); k++) {
                    for (int c = buckets.from(k); c < buckets.to(k); c += Link.CHUNK) {
                        root.read(sum, c, Math.min(buckets.to(k), c + Link.CHUNK), floats, false);
                    }
                }
                double[] next = ex.step(attempt, head[1], head[2], sum);
                if (next == null) {
                    root.writeInts(Link.STOP, 0, 0);
                    return;
                }
                try {
                    root.writeInts(Link.GO, 0, 0);
                    sendTheta(root, next, floats, thetaF);
                } finally {
                    ex.sent();
                }
                bytes.addAndGet(link.takeBytes() + (root == link ? 0 : root.takeBytes()));
            }
        } catch (RuntimeException bug) {
            LOG.warn("barrier step connection failed", bug);
            if (ex != null && attempt >= 0) {
                ex.fail(attempt);
            }
        } catch (IOException | Abandoned | InterruptedException e) {
            // The root hung up or the attempt is over. The root only hangs up after being told to stop, so while
            // the run goes on this means a task failed: fail its attempt (Spark kills the other tasks of it).
            if (ex != null && attempt >= 0) {
                ex.fail(attempt);
            }
        } finally {
            if (link != null) bytes.addAndGet(link.takeBytes());
            if (root instanceof MemoryWire wire) {
                bytes.addAndGet(wire.takeBytes());
                wire.close();
                open.remove(wire);
            }
            open.remove(ch);
        }
    }

    /**
     * θ to the root: through the socket, the first {@code floats} values as float32; in memory, float64 θ is
     * handed over as it is (the training thread leaves it unchanged until the answering S(0) is in) and float32
     * θ as {@code thetaF}, rounded from it.
     */
    private static void sendTheta(Wire root, double[] theta, int floats, float[] thetaF) throws IOException {
        if (thetaF == null) {
            root.write(theta, 0, theta.length, floats);
            return;
        }
        for (int i = 0; i < thetaF.length; i++) thetaF[i] = (float) theta[i];
        root.writeFloats(thetaF, 0, thetaF.length);
    }

    /** Stops listening and hangs up on every connection still open. */
    @Override
    public void close() throws IOException {
        server.close();
        Opened last = current;
        if (last != null) {
            MemoryWire.unlisten(MemoryWire.driverKey(token, last.run()));
        }
        for (Closeable ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing: nothing to recover.
            }
        }
    }
}
