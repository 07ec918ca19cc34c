// What a barrier task's link threads (Upward sending sums, Downward receiving θ) share: their own daemon thread,
// the failure that ends it, and stopping it.
package io.sparkprop.spark.barrier;

import java.io.IOException;

/**
 * A subclass does its work in {@link #loop} on this thread and meets the task's thread on its own monitor
 * ({@code this}): every wait there is a loop that also ends on {@link #failure} or {@link #closed}, both guarded
 * by this, so a broken link or a task ending wakes whoever waits.
 */
abstract class LinkThread implements AutoCloseable {
    private final Thread thread;
    /** What ended {@link #loop}, if anything; guarded by this. */
    protected Throwable failure;
    /** {@link #close} was called; guarded by this. */
    protected boolean closed;

    LinkThread(String name) {
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Called last in the subclass's constructor, once every field the loop reads is set. */
    final void start() {
        thread.start();
    }

    /** The thread's work; returning ends the thread, a throw is kept as {@link #failure} for the waiters. */
    abstract void loop() throws Exception;

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            synchronized (this) {
                failure = t;
                notifyAll();
            }
        }
    }

    /** The failure as the task's thread throws it; call holding this, with {@link #failure} set. */
    final IOException failureAsIo(String what) {
        return failure instanceof IOException io ? io : new IOException(what, failure);
    }

    /** Stops the thread (a task ending or failing); a read or send in progress is interrupted. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
