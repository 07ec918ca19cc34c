// An element-wise function as the pair the backward pass needs: a = f(z) and dZ = dA ⊙ f′(z).
package io.sparkprop.trainer.nn;

/**
 * {@link Activation} implements it; {@link Objective} runs the hidden layers through it, so the gradient check's
 * self-test can hand the engine's own backward pass a wrong derivative and see it caught.
 */
interface Elementwise {
    /** a[i] = f(z[i]) for i &lt; n. */
    void forward(double[] a, double[] z, int n);

    /** dZ[i] = dA[i] · f′(z[i]), given a = f(z). */
    void backward(double[] dZ, double[] dA, double[] z, double[] a, int n);
}
