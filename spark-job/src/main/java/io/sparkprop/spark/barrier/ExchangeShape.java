// What the driver and the root task of a barrier run send each other, fixed for the run: sizes, order, precision.
package io.sparkprop.spark.barrier;

import io.sparkprop.spark.exec.PartialLayout;

/**
 * Read without a lock by the root's connection ({@link StepServer}) and the training thread ({@link BarrierSums}):
 * it never changes once the run's {@link StepExchange} is made.
 *
 * @param layout        S(0), the array the root sends up each step ({@link PartialLayout})
 * @param buckets       the order in which the root's S(0) arrives ({@link Buckets})
 * @param metricsLength length of the validation statistics the tasks send after each epoch; 0 for none
 * @param float32       θ down and the gradient of S(0) up travel as floats (compute.precision = float32)
 */
record ExchangeShape(PartialLayout layout, Buckets buckets, int metricsLength, boolean float32) {
    /**
     * @param params       θ's length
     * @param norms        batch-norm's forward sums at the end of each partial ({@link PartialLayout#norms})
     * @param bucketValues values per bucket of S(0) sent during the backward pass; 0 for after it
     */
    static ExchangeShape of(int params, int norms, int bucketValues, int metricsLength, boolean float32) {
        PartialLayout layout = new PartialLayout(params, norms);
        return new ExchangeShape(layout, new Buckets(params, layout.length(), bucketValues), metricsLength, float32);
    }
}
