// The receiver of θ with a slow parent: the forward pass's wait for layer 0 returns before the rest is even sent.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One node between two socket {@link Link}s in this JVM: the test plays its parent (sending θ when it chooses)
 * and its child (reading what the node relays). The timeouts only keep a broken receiver from hanging the build.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DownwardTest {
    /** Three chunks and a bit: layer 0's slice is the first chunk. */
    static final int P = 3 * Link.CHUNK + 5;
    static final int LAYER0 = Link.CHUNK;

    private Link parent;
    private Link child;
    private TreeNode node;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void close() throws IOException {
        pool.shutdownNow();
        if (node != null) node.close();
        if (parent != null) parent.close();
        if (child != null) child.close();
    }

    /** node's up is a socket whose other end is {@link #parent}; its one child's other end is {@link #child}. */
    private void open(boolean float32) throws IOException {
        Link[] up = pair();
        Link[] down = pair();
        parent = up[0];
        child = down[1];
        node = new TreeNode(up[1], new Wire[] {down[0]}, 0, float32 ? new float[P] : null, false);
    }

    private static Link[] pair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Link a = Link.connect("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
            SocketChannel b = server.accept();
            return new Link[] {a, new Link(b)};
        }
    }

    static double[] theta() {
        double[] t = new double[P];
        for (int k = 0; k < P; k++) t[k] = 1 + Math.sin(k); // no zeros: a value not yet written shows
        return t;
    }

    /**
     * The parent sends the word and θ's first chunk, then holds the rest back until the task has layer 0's slice:
     * the wait for layer 0 returns with exactly the values sent, while θ's later part is still zero; then the
     * rest comes, and the node has all of θ and has relayed the word and all of θ to its child.
     */
    @ParameterizedTest(name = "float32: {0}")
    @ValueSource(booleans = {false, true})
    void theWaitForLayerZeroReturnsWhileTheRestOfThetaIsNotYetSent(boolean float32) throws Exception {
        open(float32);
        double[] theta = theta();
        float[] thetaF = new float[P];
        for (int k = 0; k < P; k++) thetaF[k] = (float) theta[k];
        double[] own = new double[P];
        CountDownLatch layer0In = new CountDownLatch(1);
        Future<?> sender = pool.submit(() -> {
            parent.writeInts(Link.GO, 4, 1);
            send(float32, theta, thetaF, 0, LAYER0);
            layer0In.await(); // the slow parent: the rest only once the task has started on layer 0
            send(float32, theta, thetaF, LAYER0, P);
            return null;
        });
        Future<double[]> relayed = pool.submit(() -> {
            int[] head = new int[3];
            child.readHead(head);
            assertArrayEquals(new int[] {Link.GO, 4, 1}, head, "the word goes on to the child");
            double[] got = new double[P];
            if (float32) {
                float[] f = new float[P];
                child.readFloats(f, 0, P);
                for (int k = 0; k < P; k++) got[k] = f[k];
            } else {
                child.read(got, 0, P, 0, false);
            }
            return got;
        });
        try (Downward downward = new Downward(node, own, P, 0)) {
            downward.request();
            assertArrayEquals(new int[] {Link.GO, 4, 1}, downward.word().clone());
            downward.awaitParams(LAYER0);
            double[] seen = read(float32, own);
            for (int k = 0; k < LAYER0; k++) assertEquals(float32 ? thetaF[k] : theta[k], seen[k], "θ[" + k + "]");
            for (int k = LAYER0; k < P; k++) assertEquals(0.0, seen[k], "θ[" + k + "] is not sent yet");
            layer0In.countDown();
            downward.awaitParams(P);
            downward.awaitDone();
            sender.get(60, TimeUnit.SECONDS);
            double[] all = read(float32, own);
            double[] expected = new double[P];
            for (int k = 0; k < P; k++) expected[k] = float32 ? thetaF[k] : theta[k];
            assertArrayEquals(expected, all, "all of θ");
            assertArrayEquals(expected, relayed.get(60, TimeUnit.SECONDS), "all of θ relayed to the child");

            // The next word is STOP: no θ follows, and the links are free at once.
            downward.request();
            parent.writeInts(Link.STOP, 0, 0);
            assertEquals(Link.STOP, downward.word()[0]);
            downward.awaitDone();
        }
    }

    /** The parent hangs up mid-θ while the task waits for a slice it has not sent: the wait ends in an error. */
    @Test
    void aBrokenLinkWakesTheWaitingTaskWithAnError() throws Exception {
        open(false);
        double[] theta = theta();
        try (Downward downward = new Downward(node, new double[P], P, 0)) {
            downward.request();
            parent.writeInts(Link.GO, 0, 0);
            parent.write(theta, 0, LAYER0, 0);
            assertEquals(Link.GO, downward.word()[0]);
            downward.awaitParams(LAYER0);
            Thread waiter = Thread.currentThread();
            pool.submit(() -> {
                awaitWaiting(waiter);
                parent.close();
                return null;
            });
            assertThrows(IOException.class, () -> downward.awaitParams(P), "the rest of θ will never come");
            assertThrows(IOException.class, downward::awaitDone, "nor will the links be free");
        }
    }

    /** A task being killed closes the receiver: a task thread waiting for the word is woken with an error. */
    @Test
    void closingTheReceiverWakesAWaitingTaskWithAnError() throws Exception {
        open(false);
        Downward downward = new Downward(node, new double[P], P, 0);
        downward.request(); // the parent never sends
        Thread waiter = Thread.currentThread();
        pool.submit(() -> {
            awaitWaiting(waiter);
            downward.close();
            return null;
        });
        IOException e = assertThrows(IOException.class, downward::word);
        assertTrue(e.getMessage() != null, "a reason");
    }

    /** Until {@code t} waits (on a monitor, or parked): the error then wakes a waiter, not one yet to wait. */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
    }

    private void send(boolean float32, double[] theta, float[] thetaF, int from, int to) throws IOException {
        if (float32) {
            parent.writeFloats(thetaF, from, to);
        } else {
            parent.write(theta, from, to, 0);
        }
    }

    /** The node's θ as doubles: {@code own} under float64, its floats under float32 (the node's own buffer). */
    private double[] read(boolean float32, double[] own) {
        if (!float32) {
            return own.clone();
        }
        float[] f = node.thetaF();
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) d[k] = f[k];
        return d;
    }
}
