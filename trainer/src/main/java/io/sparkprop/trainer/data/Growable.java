// Append-only primitive arrays for readers that do not know the row count in advance.
package io.sparkprop.trainer.data;

import java.util.Arrays;

/** Growable double and int arrays; boxing every value in a List would triple the memory of a large file. */
final class Growable {
    private Growable() {
    }

    /** The next capacity, doubling but never past the largest array the JVM allows. */
    private static int grow(int capacity, int needed) {
        long next = Math.max((long) needed, Math.max(16L, 2L * capacity));
        if (needed < 0 || needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " values do not fit in one array");
        }
        return (int) Math.min(next, Integer.MAX_VALUE - 8);
    }

    static final class Doubles {
        private double[] a = new double[1024];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, grow(a.length, n + 1));
            }
            a[n++] = v;
        }

        void addAll(double[] src, int from, int len) {
            if (n + len > a.length || n + len < 0) {
                a = Arrays.copyOf(a, grow(a.length, n + len));
            }
            System.arraycopy(src, from, a, n, len);
            n += len;
        }

        int size() {
            return n;
        }

        double get(int i) {
            return a[i];
        }

        void clear() {
            n = 0;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    static final class Ints {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, grow(a.length, n + 1));
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int get(int i) {
            return a[i];
        }

        void clear() {
            n = 0;
        }
    }
}
