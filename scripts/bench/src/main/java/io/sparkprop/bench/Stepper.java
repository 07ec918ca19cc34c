// Throughput windows: trains whole epochs with Adam through an engine, as the Trainer does, for a given time.
package io.sparkprop.bench;

import java.util.function.IntConsumer;

import io.sparkprop.spark.engine.SparkEngine;
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

    /**
     * Engines side by side over the same rows, taking turns with short windows so all see the same outside load:
     * each warmed for {@code warm} seconds, then {@code rounds} rounds of one window of about
     * {@code seconds / rounds / 2} each, a line printed per round. {@code before.accept(k)} runs before each of
     * engine k's windows (a setting the next job reads). Returns each engine's best window {samples/s, steps/s}.
     */
    static double[][] alternate(Engine[] engines, Network net, String[] names, double warm, int rounds,
                                double seconds, IntConsumer before) {
        int k = engines.length;
        Stepper[] steppers = new Stepper[k];
        double[][] best = new double[k][2];
        for (int i = 0; i < k; i++) {
            steppers[i] = new Stepper(engines[i], net, Models.params(net, 42));
            before.accept(i);
            steppers[i].window(warm);
            release(engines[i]);
            engines[i].timeSplit();
        }
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("window " + (round + 1) + ":");
            for (int i = 0; i < k; i++) {
                before.accept(i);
                // One untimed epoch first: a barrier job restarts every window here (the engines take turns with
                // the slots), while a real run starts it once; its start (launching the tasks, their hellos to
                // the driver) stays off the clock.
                if (engines[i] instanceof SparkEngine) steppers[i].window(0);
                double[] w = steppers[i].window(seconds / rounds / 2);
                release(engines[i]);
                line.append(String.format(" %s %.0f samples/s", names[i], w[0]));
                if (w[0] > best[i][0]) best[i] = w;
            }
            System.out.println(line);
        }
        return best;
    }

    /** A barrier job spanning epochs keeps every task slot; the next engine's jobs need them. */
    private static void release(Engine e) {
        if (e instanceof SparkEngine se) se.release();
    }
}
