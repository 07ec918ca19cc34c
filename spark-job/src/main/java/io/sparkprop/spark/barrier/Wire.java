// What a tree node does with one of its links per step, whether a socket (Link) or a hand-over in memory.
package io.sparkprop.spark.barrier;

import java.io.IOException;

/**
 * The per-step half of {@link Link}'s framing: a head of three ints, then arrays in ranges the two ends agree
 * on, values below {@code floats} travelling as float32. {@link Link} carries them through a socket,
 * {@link MemoryWire} between two tasks of one JVM. Summing up goes through this interface alone; passing θ down,
 * {@link TreeNode} tells them apart: it takes θ from a parent in memory instead of reading a copy, and hands it to
 * children in memory whole, after relaying it chunk by chunk to its socket children.
 */
interface Wire extends java.io.Closeable {
    void writeInts(int a, int b, int c) throws IOException;

    /** Reads a head (kind, epoch, step) or a word (head, epoch, flags) into {@code into}. */
    void readHead(int[] into) throws IOException;

    /** Sends a[from, to); values below {@code floats} as float32. */
    void write(double[] a, int from, int to, int floats) throws IOException;

    /** Reads into a[from, to), or adds to it when {@code add}; values below {@code floats} came as float32. */
    void read(double[] a, int from, int to, int floats, boolean add) throws IOException;

    /** Sends a[from, to) as float32 (θ under float32): the bytes {@link #write} sends with every value a float. */
    void writeFloats(float[] a, int from, int to) throws IOException;

    /** Reads float32 values, as {@link #writeFloats} sent them, into a[from, to). */
    void readFloats(float[] a, int from, int to) throws IOException;

    /** Bytes through this link (both ways) since the last call, as the socket framing counts them. */
    long takeBytes();

    @Override
    void close() throws IOException;
}
