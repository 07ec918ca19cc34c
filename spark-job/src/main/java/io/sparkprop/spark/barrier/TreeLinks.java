// How a barrier task joins the reduction tree: it listens, says hello to the driver, links to its parent and children.
package io.sparkprop.spark.barrier;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;

import io.sparkprop.spark.exec.ReductionTree;

/**
 * Once per barrier job, before the first step: the handshake that makes {@link TreeNode}'s links (the hello,
 * where, parent and mode messages of {@link Link}). A hello that names another run or attempt, or no child of this
 * task, is dropped, so a straggler of a failed attempt cannot join the new tree.
 */
final class TreeLinks {
    /** After a child's hello: how it links (a socket, or a wire it has offered in this JVM). */
    static final int BY_SOCKET = 0;
    static final int IN_MEMORY = 1;

    private TreeLinks() {
    }

    /** The listening half, opened before the addresses are exchanged. */
    static ServerSocketChannel listen(String host) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(host, 0));
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Says hello to the driver with this task's listening address; the root keeps that connection as its link
     * up, every other task is told its parent's address and connects there. With {@code memory}, a child whose
     * parent runs in this JVM links to it through a {@link MemoryWire} (same bits, no socket copies); the root
     * says after its hello whether it offers the driver one, and switches to it if the driver answers IN_MEMORY.
     *
     * @param driverAddress "host:port" of the driver's {@link StepServer}
     * @param server        this task's listener (closed here once the children have said hello)
     */
    static TreeNode connect(int partition, int partitions, String driverAddress, ServerSocketChannel server,
                            long[] token, int run, int attempt, int params, boolean float32, boolean memory)
            throws IOException {
        Wire up = null;
        Wire[] down = new Wire[ReductionTree.children(partition, partitions)];
        String key = MemoryWire.key(token, run, attempt, partition);
        if (memory && down.length > 0) {
            MemoryWire.listen(key); // before the driver can tell a child where this task is
        }
        // The root offers the driver a wire if the driver's StepServer listens in this JVM (local mode).
        MemoryWire toDriver = memory && partition == 0
                ? MemoryWire.offer(MemoryWire.driverKey(token, run), attempt) : null;
        try (server) {
            Link driver = connect(driverAddress);
            up = driver;
            driver.hello(token, run, attempt, partition);
            InetSocketAddress listens = (InetSocketAddress) server.getLocalAddress();
            // A listener on every interface is reached where the driver reaches this task.
            var host = listens.getAddress().isAnyLocalAddress()
                    ? ((InetSocketAddress) driver.ch.getLocalAddress()).getAddress() : listens.getAddress();
            driver.writeText(host.getHostAddress() + ":" + listens.getPort());
            if (partition == 0) {
                driver.writeInts(toDriver == null ? BY_SOCKET : IN_MEMORY);
                if (toDriver != null && driver.readInt() == IN_MEMORY) {
                    driver.close();
                    up = toDriver;
                    toDriver = null;
                }
            }
            if (partition != 0) {
                String parent = driver.readInt() == Link.GO ? driver.readText() : null;
                driver.close();
                up = null;
                if (parent == null) {
                    throw new IllegalStateException("the driver turned attempt " + (attempt + 1) + " away");
                }
                up = connectParent(parent, token, run, attempt, partition, memory);
            }
            server.socket().setSoTimeout(120_000);
            for (int k = 0; k < down.length; ) {
                Socket s;
                try {
                    s = server.socket().accept();
                } catch (SocketTimeoutException t) {
                    throw new IOException("partition " + partition + ": a child task did not connect in 120 s");
                }
                Link child = new Link(s.getChannel());
                int[] h = child.readHello(token);
                int c = h == null ? -1 : h[2] - ReductionTree.firstChild(partition);
                if (h == null || h[0] != run || h[1] != attempt || c < 0 || c >= down.length || down[c] != null) {
                    child.close(); // a stranger or a straggler of another attempt
                    continue;
                }
                if (child.readInt() == IN_MEMORY) {
                    MemoryWire wire = MemoryWire.accept(key, h[2]);
                    if (wire == null) {
                        child.close(); // it offered no wire here: not a task of this JVM after all
                        continue;
                    }
                    child.writeInts(Link.GO);
                    child.close();
                    down[c] = wire;
                } else {
                    down[c] = child;
                }
                k++;
            }
            return new TreeNode(up, down, partition == 0 && float32 ? params : 0, float32 ? new float[params] : null,
                    partition == 0);
        } catch (IOException | RuntimeException e) {
            TreeNode.closeAll(up, down);
            throw e;
        } finally {
            MemoryWire.unlisten(key);
            if (toDriver != null) toDriver.close(); // offered, not taken
        }
    }

    /**
     * Connects to the parent's listener and says hello, then whether this task offers a {@link MemoryWire}: one
     * only if the parent listens for wires in this JVM. The wire replaces the socket once the parent says GO.
     */
    private static Wire connectParent(String parent, long[] token, int run, int attempt, int partition,
                                      boolean memory) throws IOException {
        MemoryWire wire = memory
                ? MemoryWire.offer(MemoryWire.key(token, run, attempt, ReductionTree.parent(partition)), partition)
                : null;
        Link link = connect(parent);
        try {
            link.hello(token, run, attempt, partition);
            link.writeInts(wire == null ? BY_SOCKET : IN_MEMORY);
            if (wire == null) {
                return link;
            }
            if (link.readInt() != Link.GO) {
                throw new IOException("partition " + partition + ": the parent task turned its link down");
            }
            link.close();
            return wire;
        } catch (IOException | RuntimeException e) {
            link.close();
            if (wire != null) wire.close();
            throw e;
        }
    }

    private static Link connect(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        return Link.connect(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }
}
