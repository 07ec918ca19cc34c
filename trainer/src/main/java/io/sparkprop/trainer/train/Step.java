// The one training step: zero → gradient sums of a planned batch → finite check → average/decay/clip/step.
package io.sparkprop.trainer.train;

import java.util.Arrays;

import io.sparkprop.trainer.optim.Lanes;
import io.sparkprop.trainer.optim.Updater;

/**
 * Every engine, protocol, benchmark and test steps through here, so "two engines give the same bits for the
 * same sums" is a property of this one function, not of each caller's care:
 * <pre>
 *   gradSum ← 0;  lossSum ← sums(θ, epoch, step, gradSum)     (the engine's part: Σ over the batch's rows)
 *   lossSum not finite               → stop, θ untouched
 *   ‖g‖ ← updater.apply(θ, gradSum, W)  (mean over the batch: W = Σ row weights, the row count when unweighted;
 *                                     then L2, clip, optimizer)
 *   ‖g‖ not finite                   → stop, θ untouched
 *   sums.stepped(θ)                  (batch-norm's running statistics follow the batch)
 * </pre>
 * Both Spark protocols are {@link Sums} here, the barrier protocol's tree included, so every epoch runs through
 * {@link #epoch} on the training loop's thread, the one thread that steps θ and the optimizer.
 */
public final class Step {
    private Step() {
    }

    /**
     * Σ w·loss over global batch (epoch, step); gradSum (length P, zeroed by {@link #take}) receives Σ w·∂loss/∂θ
     * (w = 1 for unweighted rows).
     */
    @FunctionalInterface
    public interface Sums {
        double lossAndGradient(double[] params, int epoch, int step, double[] gradSum);

        /**
         * Σ w over the rows of the last {@link #lossAndGradient} call (summed beside its gradient, in the same
         * order), or NaN when the rows are unweighted: then the step divides by the batch's row count.
         */
        default double lastWeightSum() {
            return Double.NaN;
        }

        /**
         * Called on the training loop's thread once θ has been stepped on the last {@link #lossAndGradient} call's
         * sums: an engine moves the batch-norm layers' running statistics (in θ, untouched by the optimizer) to
         * that global batch's ({@link io.sparkprop.trainer.nn.RunningStatistics}). Nothing by default.
         */
        default void stepped(double[] params) {
        }
    }

    /**
     * Steps θ on batch {@code step}'s sums: records loss[step] and norm[step]; false (θ and the optimizer as they
     * were) if the loss or the gradient norm is not finite.
     *
     * @param gradSum    Σ gradient (length P), overwritten by the updater
     * @param weightSum  Σ row weights of the batch, or NaN for unweighted rows (the batch's row count is used)
     * @param globalStep the run's 0-based step count of this step (for the schedule)
     * @param lanes      where the updater's elementwise loops run ({@link Lanes#SERIAL}, or ranges on several
     *                   threads: the same bits)
     */
    public static boolean update(Updater updater, BatchPlan plan, double[] params, double[] gradSum, double lossSum,
                                 double weightSum, int step, long globalStep, double[] loss, double[] norm,
                                 Lanes lanes) {
        loss[step] = lossSum;
        if (!Double.isFinite(lossSum)) {
            norm[step] = Double.NaN;
            return false;
        }
        double n = Double.isNaN(weightSum) ? plan.batchEnd(step) - plan.batchStart(step) : weightSum;
        if (!(n > 0)) { // every row of the batch weighs 0: nothing to average, so no step
            norm[step] = 0.0;
            return true;
        }
        norm[step] = updater.apply(params, gradSum, n, globalStep, lanes);
        return Double.isFinite(norm[step]);
    }

    /** One whole step through {@code sums}; {@code grad} is the caller's P-sized scratch buffer. */
    public static boolean take(Sums sums, Updater updater, BatchPlan plan, double[] params, double[] grad, int epoch,
                               int step, long globalStep, double[] loss, double[] norm) {
        return take(sums, updater, plan, params, grad, epoch, step, globalStep, loss, norm, Lanes.SERIAL);
    }

    /** As above, with the update's loops on {@code lanes}. */
    public static boolean take(Sums sums, Updater updater, BatchPlan plan, double[] params, double[] grad, int epoch,
                               int step, long globalStep, double[] loss, double[] norm, Lanes lanes) {
        Arrays.fill(grad, 0.0);
        double lossSum = sums.lossAndGradient(params, epoch, step, grad);
        boolean ok = update(updater, plan, params, grad, lossSum, sums.lastWeightSum(), step, globalStep, loss, norm,
                lanes);
        if (ok) {
            sums.stepped(params);
        }
        return ok;
    }

    /**
     * All steps of {@code epoch} through {@code sums}, stopping after the first that is not finite (its entry is
     * the last of the returned arrays; θ keeps the last good values), each update's loops on {@code lanes}.
     */
    public static EpochSteps epoch(Sums sums, Updater updater, BatchPlan plan, double[] params, double[] grad,
                                   int epoch, long globalStep, Lanes lanes) {
        int n = plan.stepsPerEpoch();
        double[] loss = new double[n];
        double[] norm = new double[n];
        double weight = 0; // Σ of the steps' divisors; NaN once a step's rows are unweighted
        for (int s = 0; s < n; s++) {
            boolean ok = take(sums, updater, plan, params, grad, epoch, s, globalStep + s, loss, norm, lanes);
            weight += sums.lastWeightSum();
            if (!ok) {
                return new EpochSteps(Arrays.copyOf(loss, s + 1), Arrays.copyOf(norm, s + 1), weight);
            }
        }
        return new EpochSteps(loss, norm, weight);
    }
}
