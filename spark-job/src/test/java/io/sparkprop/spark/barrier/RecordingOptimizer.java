// A test optimizer that records every thread that steps θ or reads or writes the optimizer's state.
package io.sparkprop.spark.barrier;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Optimizer;

/** Delegates to {@code inner}: the same bits, plus who called. */
public final class RecordingOptimizer implements Optimizer {
    private final Optimizer inner;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger steps = new AtomicInteger();

    public RecordingOptimizer(Optimizer inner) {
        this.inner = inner;
    }

    /** Every thread that called {@link #step}, {@link #state} or {@link #setState}. */
    public Set<Thread> threads() {
        return threads;
    }

    /** Steps taken through this wrapper (a restored state does not take them back). */
    public int steps() {
        return steps.get();
    }

    private void called() {
        threads.add(Thread.currentThread());
    }

    @Override
    public void step(double[] params, double[] grad, double lr) {
        called();
        steps.incrementAndGet();
        inner.step(params, grad, lr);
    }

    @Override
    public void step(double[] params, double[] grad, double lr, Lanes lanes) {
        called();
        steps.incrementAndGet();
        inner.step(params, grad, lr, lanes);
    }

    @Override
    public double[] state() {
        called();
        return inner.state();
    }

    @Override
    public void setState(double[] state) {
        called();
        inner.setState(state);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long t() {
        return inner.t();
    }

    @Override
    public boolean decouplesWeightDecay() {
        return inner.decouplesWeightDecay();
    }
}
