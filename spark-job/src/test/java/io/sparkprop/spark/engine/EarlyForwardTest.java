// The barrier protocol over sockets starting each forward pass as θ's first layers arrive trains to the same bits.
package io.sparkprop.spark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.spark.barrier.BarrierProtocol;
import io.sparkprop.spark.infra.SparkContexts;
import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Init;
import io.sparkprop.trainer.nn.Loss;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.OptimizerKind;
import io.sparkprop.trainer.optim.Schedule;
import io.sparkprop.trainer.optim.ScheduleKind;
import io.sparkprop.trainer.optim.ScheduleSpec;
import io.sparkprop.trainer.optim.Updater;
import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.TrainState;
import io.sparkprop.trainer.train.Trainer;

class EarlyForwardTest {
    /**
     * |θ| = 92,103: two socket chunks, layer 0 ([0, 900)) inside the first, layer 1 across both, so a task's
     * forward pass can start on layer 0 while the second chunk is still on its way.
     */
    static final Network NET = new Network(new int[] {2, 300, 300, 3}, Activation.TANH,
            Loss.SOFTMAX_CROSS_ENTROPY, 0.2);

    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkContexts.start("local[2]", "sparkprop-early-forward-test", false);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** The final θ, and each epoch's training loss and in-job validation loss. */
    record Run(double[] params, List<Double> losses) {
    }

    /**
     * Three epochs (Adam, cosine schedule, L2, clipping; validation inside the job) with every tree link a socket,
     * the root's to the driver too, and the early start on or off.
     */
    static Run train(String protocol, boolean early, boolean float32) {
        return train(protocol, early, float32, null);
    }

    /** The same, the first attempt's task failing at {@code failAt} = {epoch, step, partition} (null: none). */
    static Run train(String protocol, boolean early, boolean float32, int[] failAt) {
        var data = float32 ? StepRunner.DATA.toFloat32() : StepRunner.DATA;
        Network net = NET.withFloat32(float32);
        // SparkContext.conf is what getConf copies; the protocol reads the keys at each job's start.
        sc.sc().conf().set(BarrierProtocol.MEMORY_LINKS, "false");
        sc.sc().conf().set(BarrierProtocol.EARLY_FORWARD, String.valueOf(early));
        try (SparkEngine e = StepRunner.spark(sc, StepRunner.settings(2, protocol, float32, "test")
                .failingFirstAttemptAt(failAt), net, data, data,
                data)) {
            double[] params = new double[net.paramCount()];
            Init.XAVIER.fill(net.layout(), params, 3);
            long steps = StepRunner.PLAN.stepsPerEpoch();
            Updater updater = new Updater(OptimizerKind.ADAM.create(params.length, net.layout(), 0.9, 1e-4),
                    Schedule.of(new ScheduleSpec(ScheduleKind.COSINE, 0.02, 1, 0.5, 1, 0.001), steps, 3 * steps),
                    net.layout(), 1e-4, 5.0);
            TrainState state = new TrainState("h", params, new double[0]);
            List<Double> losses = new ArrayList<>();
            new Trainer(net, e, updater, CheckpointStore.NONE, 0, 0).run(state, 3, r -> {
                losses.add(r.trainLoss());
                losses.add(r.valLoss());
            });
            if (failAt != null) {
                assertEquals(2, e.summary().get("barrier_attempts"), "the injected failure re-ran the job");
            }
            return new Run(state.params, losses);
        } finally {
            sc.sc().conf().remove(BarrierProtocol.MEMORY_LINKS);
            sc.sc().conf().remove(BarrierProtocol.EARLY_FORWARD);
        }
    }

    /**
     * With the early start (both tasks receive θ through a socket: the root from the driver, task 1 from the
     * root), without it, and under the driver protocol: the same weights and losses, bit for bit.
     */
    @ParameterizedTest(name = "float32: {0}")
    @ValueSource(booleans = {false, true})
    void startingTheForwardPassAsThetaArrivesChangesNoBit(boolean float32) {
        Run driver = train("driver", false, float32);
        long memory = BarrierProtocol.memoryLinksMade();
        long made = BarrierProtocol.earlyForwardTasks();
        Run early = train("barrier", true, float32);
        long receivers = BarrierProtocol.earlyForwardTasks() - made;
        assertTrue(receivers >= 2, "both tasks of the barrier job started early: " + receivers);
        Run whole = train("barrier", false, float32);
        assertEquals(made + receivers, BarrierProtocol.earlyForwardTasks(), "earlyForward = false: none");
        assertEquals(memory, BarrierProtocol.memoryLinksMade(), "sockets only");

        assertArrayEquals(whole.params(), early.params(), "early start against the whole θ first");
        assertEquals(whole.losses(), early.losses());
        assertArrayEquals(driver.params(), early.params(), "early start against the driver protocol");
        assertEquals(driver.losses(), early.losses());
        assertTrue(early.losses().stream().allMatch(Double::isFinite), "a real run: " + early.losses());
    }

    /**
     * A task fails as its step starts, its receiver of θ still running: the attempt's tasks end (none hangs in a
     * wait for θ), a new attempt re-runs the epoch with the early start, and the run ends on the driver protocol's
     * bits.
     */
    @Test
    void aTaskFailingWhileThetaComesDownReRunsTheEpochToTheSameBits() {
        Run driver = train("driver", false, false);
        long made = BarrierProtocol.earlyForwardTasks();
        Run retried = train("barrier", true, false, new int[] {1, 3, 1});
        assertTrue(BarrierProtocol.earlyForwardTasks() - made >= 4, "both attempts' tasks started early");
        assertArrayEquals(driver.params(), retried.params());
        assertEquals(driver.losses(), retried.losses());
    }
}
