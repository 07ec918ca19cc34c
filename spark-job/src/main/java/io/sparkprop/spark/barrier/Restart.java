// Thrown on the barrier run's training thread: a newer attempt started the epoch in progress again from its first step.
package io.sparkprop.spark.barrier;

/** From {@link StepExchange#sum}; {@link BarrierSums} then steps the epoch again from its snapshot. No stack trace. */
final class Restart extends RuntimeException {
    Restart() {
        super("a newer attempt restarts the epoch", null, false, false);
    }
}
