// Throughput windows: trains whole epochs with Adam through an engine, as the Trainer does, for a given time.
package io.sparkprop.bench;

import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.Engine;

/** Keeps its place (θ, Adam's state, the step count) between windows, so windows continue one run. */
final class Stepper {
    final Engine e;
    final Updater u;
    final double[] params;
    long step;

    Stepper(Engine e, Network net, double[] params) {
        this.e = e;
        this.u = Runs.adam(net, e.plan(), 1e-3);
        this.params = params;
    }

    /** Whole epochs for about `seconds`; returns {samples/s, steps/s}. */
    double[] window(double seconds) {
        BatchPlan plan = e.plan();
        long steps = 0;
        long start = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now - start > seconds * 1e9 && steps > 0) {
                double s = (now - start) / 1e9;
                return new double[] {steps / (double) plan.stepsPerEpoch() * plan.rows / s, steps / s};
            }
            e.trainEpoch(params, u, (int) (step / plan.stepsPerEpoch()), step);
            steps += plan.stepsPerEpoch();
            step += plan.stepsPerEpoch();
        }
    }

    /** Best of `rounds` windows (other work on the machine only ever slows a window down). */
    double[] best(int rounds, double seconds) {
        double[] b = {0, 0};
        for (int i = 0; i < rounds; i++) {
            double[] w = window(seconds);
            if (w[0] > b[0]) b = w;
        }
        return b;
    }

    /** A fresh stepper on `params`: `warm` seconds untimed, then the best of three windows over `seconds`. */
    static double[] throughput(Engine e, Network net, double[] params, double warm, double seconds) {
        Stepper s = new Stepper(e, net, params);
        s.window(warm);
        return s.best(3, seconds / 3);
    }
}
