// The contract every first-order optimizer honours: update flat parameters in place from a flat gradient.
package io.sparkprop.trainer.optim;

/**
 * A stateful update rule w ← w − f(g, state, lr), run on the driver over flat {@code double[P]} arrays laid out
 * as in {@link io.sparkprop.trainer.nn.ParamLayout}. Optimizers never see data; layers never see the learning rate.
 *
 * <p>Implementations allocate all their state in the constructor; {@link #step} allocates nothing. Each keeps its own
 * step counter t (1 after the first step), used for bias correction. Not thread-safe.
 */
public interface Optimizer {

    /**
     * One update, in place on {@code params}.
     *
     * @param params w, length P, updated in place
     * @param grad   g, length P: the final averaged, regularised, clipped gradient; read only
     * @param lr     the learning rate for this step (from the schedule), ≥ 0
     * @throws IllegalArgumentException if a length is not P or lr is negative or not finite
     */
    void step(double[] params, double[] grad, double lr);

    /**
     * The same step with its elementwise loop cut into {@code lanes}' ranges: the same bits as {@link #step(double[],
     * double[], double)}, whatever the lanes.
     */
    void step(double[] params, double[] grad, double lr, Lanes lanes);

    /**
     * All state as one fresh flat array for checkpoints: {@code [t, moment_0[0..P), moment_1[0..P), ...]}, so its
     * length is 1 + k·P for an optimizer with k moment vectors (sgd: 1, momentum/nesterov/adagrad/rmsprop: 1 + P,
     * adam/adamw: 1 + 2P). Restoring it with {@link #setState} continues bit-identically. The array does not say which
     * optimizer wrote it: store {@link #name()} beside it.
     */
    double[] state();

    /**
     * Restores what {@link #state()} returned (the array is copied, not kept).
     *
     * @throws IllegalArgumentException if the length is wrong or t is not a non-negative integer
     */
    void setState(double[] state);

    /** The config name, the {@link OptimizerKind#id()} of the rule that built it. */
    String name();

    /** t: how many steps have been taken. */
    long t();

    /**
     * True if weight decay is applied inside {@link #step} (decoupled, as in AdamW), so the caller must not also add
     * L2 decay to the gradient.
     */
    default boolean decouplesWeightDecay() {
        return false;
    }
}
