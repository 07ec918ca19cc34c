// What the benchmarks train with, as a configured run gets it: Fashion-MNIST as conf/fashion-mnist.conf prepares
// it, Adam, and Spark engines from config keys through the one engine factory the CLI and Spark ML use.
package io.sparkprop.bench;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;

import io.sparkprop.spark.engine.EngineFactory;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.BatchPlan;
import io.sparkprop.trainer.train.PreparedData;

final class Runs {
    private Runs() {
    }

    static PreparedData fashion() {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(Path.of("conf/fashion-mnist.conf"), List.of()));
        return PreparedData.load(cfg, System.err);
    }

    /**
     * The engine factory of a run whose config sets {@code keys} ("key=value", over reference.conf), e.g.
     * spark.partitions, spark.protocol, compute.precision; resolved on {@code sc}.
     */
    static EngineFactory spark(JavaSparkContext sc, String runName, String... keys) {
        return EngineFactory.resolve(sc, TrainConfig.from(ConfigLoader.load(null, List.of(keys))), runName);
    }

    static Updater adam(Network net, BatchPlan plan, double lr) {
        return adam(net, plan, ScheduleSpec.constant(lr), 1000);
    }

    /** Adam with {@code schedule} spanning {@code epochs} epochs of the plan (as a config's train.epochs sets it). */
    static Updater adam(Network net, BatchPlan plan, ScheduleSpec schedule, int epochs) {
        long steps = plan.stepsPerEpoch();
        return new Updater(OptimizerKind.ADAM.create(net.paramCount(), net.layout(), 0.9, 0.0),
                Schedule.of(schedule, steps, steps * epochs), net.layout(), 0.0, 0.0);
    }
}
