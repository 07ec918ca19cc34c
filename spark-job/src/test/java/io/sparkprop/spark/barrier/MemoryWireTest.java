// A MemoryWire gives the reader the bits and byte counts a socket Link would, and ends like one.
package io.sparkprop.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MemoryWireTest {
    static final long[] TOKEN = {0x1234L, 0x5678L};

    /** A pair of wires as a child and its parent get them: {child's end, parent's end}. */
    static MemoryWire[] pair(int attempt) {
        String parent = MemoryWire.key(TOKEN, 7, attempt, 0);
        MemoryWire.listen(parent);
        try {
            MemoryWire child = MemoryWire.offer(parent, 1);
            return new MemoryWire[] {child, MemoryWire.accept(parent, 1)};
        } finally {
            MemoryWire.unlisten(parent);
        }
    }

    static double[] values(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = Math.pow(10, i % 13 - 6) * Math.sin(i) + 1.0 / 3;
        return a;
    }

    /** Sends a[from, to) with the first {@code floats} values as float32, reads it into and onto {@code base}. */
    static double[][] sendAndRead(Wire w, Wire r, double[] a, int from, int to, int floats, double[] base)
            throws Exception {
        double[] into = base.clone();
        double[] onto = base.clone();
        w.write(a, from, to, floats);
        r.read(into, from, to, floats, false);
        w.write(a, from, to, floats);
        r.read(onto, from, to, floats, true);
        return new double[][] {into, onto, {w.takeBytes(), r.takeBytes()}};
    }

    @Test
    void readersGetTheSocketsBitsAndCountTheSocketsBytes() throws Exception {
        double[] a = values(1000);
        double[] base = values(1000);
        for (int k = 0; k < base.length; k++) base[k] = -base[k] * 0.7;
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (Link w = Link.connect("127.0.0.1", port); Link r = new Link(server.accept())) {
                MemoryWire[] m = pair(0);
                for (int[] range : new int[][] {{0, 1000, 0}, {0, 1000, 1000}, {100, 900, 400}, {500, 1000, 300}}) {
                    double[][] bySocket = sendAndRead(w, r, a, range[0], range[1], range[2], base);
                    double[][] inMemory = sendAndRead(m[0], m[1], a, range[0], range[1], range[2], base);
                    for (int k = 0; k < 3; k++) {
                        assertArrayEquals(bySocket[k], inMemory[k], "range " + range[0] + ".." + range[1]
                                + " floats " + range[2] + " part " + k);
                    }
                }
                int[] head = new int[3];
                m[1].writeInts(1, 2, 3);
                m[0].readHead(head);
                assertArrayEquals(new int[] {1, 2, 3}, head);
                assertEquals(12, m[1].takeBytes());
                assertEquals(12, m[0].takeBytes());
            }
        }
    }

    @Test
    void aReaderGetsWhatWasSentBeforeTheHangUpThenTheEnd() throws Exception {
        MemoryWire[] m = pair(1);
        m[0].writeInts(4, 5, 6);
        m[0].close();
        int[] head = new int[3];
        m[1].readHead(head);
        assertArrayEquals(new int[] {4, 5, 6}, head);
        assertThrows(EOFException.class, () -> m[1].readHead(head));
        assertThrows(EOFException.class, () -> m[1].readHead(head));
        assertThrows(EOFException.class, () -> m[1].writeInts(0, 0, 0));
        assertThrows(EOFException.class, () -> m[0].readHead(head));
    }

    @Test
    void anInterruptedReaderGivesUpAndHangsUp() throws Exception {
        MemoryWire[] m = pair(2);
        var pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> reading = pool.submit(() -> {
                m[1].readHead(new int[3]);
                return null;
            });
            pool.shutdownNow(); // interrupts the reader, waiting or about to wait
            var e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> reading.get(30, TimeUnit.SECONDS));
            assertEquals(InterruptedIOException.class, e.getCause().getClass());
            assertThrows(EOFException.class, () -> m[0].writeInts(0, 0, 0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWireNeedsAParentListeningInThisJvmAndOneTheParentDidNotTakeIsClosed() throws Exception {
        String parent = MemoryWire.key(TOKEN, 8, 0, 3);
        assertNull(MemoryWire.offer(parent, 7), "no parent listens under that key");
        MemoryWire.listen(parent);
        MemoryWire child = MemoryWire.offer(parent, 7);
        assertNotNull(child);
        assertNull(MemoryWire.accept(parent, 8), "child 8 offered nothing");
        MemoryWire.unlisten(parent);
        assertNull(MemoryWire.accept(parent, 7), "gone with the listener");
        assertThrows(EOFException.class, () -> child.readHead(new int[3]));
        assertNull(MemoryWire.offer(MemoryWire.key(TOKEN, 8, 1, 3), 7), "another attempt's key");
    }
}
