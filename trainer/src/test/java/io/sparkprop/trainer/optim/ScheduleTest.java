// The learning-rate schedules at chosen steps: warmup ramp, step boundaries, exponential decay, the min-lr floor,
// cosine endpoints.
package io.sparkprop.trainer.optim;

import static io.sparkprop.trainer.optim.ScheduleKind.CONSTANT;
import static io.sparkprop.trainer.optim.ScheduleKind.COSINE;
import static io.sparkprop.trainer.optim.ScheduleKind.EXPONENTIAL;
import static io.sparkprop.trainer.optim.ScheduleKind.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final double TOL = 1e-15;

    @Test
    void constantWithWarmupRampsLinearly() {
        // 2 warmup epochs of 5 steps: W = 10
        Schedule s = Schedule.of(new ScheduleSpec(CONSTANT, 0.2, 2, 1, 1, 0), 5, 100);
        assertEquals(10, s.warmupSteps());
        assertEquals(0.02, s.lr(0), TOL);
        assertEquals(0.1, s.lr(4), TOL);
        assertEquals(0.18, s.lr(8), TOL);
        assertEquals(0.2, s.lr(9), TOL);
        assertEquals(0.2, s.lr(10), TOL);
        assertEquals(0.2, s.lr(10_000), TOL);
    }

    @Test
    void constantWithoutWarmup() {
        Schedule s = Schedule.of(ScheduleSpec.constant(0.05), 7, 70);
        assertEquals(0.05, s.lr(0));
        assertEquals(0.05, s.lr(69));
        assertEquals(ScheduleKind.CONSTANT, s.kind());
    }

    @Test
    void stepDecaysAtBoundaries() {
        // every 2 epochs of 5 steps = 10 steps, γ = 0.5
        Schedule s = Schedule.of(new ScheduleSpec(STEP, 0.1, 0, 0.5, 2, 0), 5, 100);
        assertEquals(0.1, s.lr(0), TOL);
        assertEquals(0.1, s.lr(9), TOL);
        assertEquals(0.05, s.lr(10), TOL);
        assertEquals(0.05, s.lr(19), TOL);
        assertEquals(0.025, s.lr(20), TOL);
    }

    @Test
    void stepDecayClockStartsAfterWarmup() {
        // 1 warmup epoch of 5 steps, then decay every 2 epochs = 10 steps
        Schedule s = Schedule.of(new ScheduleSpec(STEP, 0.1, 1, 0.5, 2, 0), 5, 100);
        assertEquals(0.02, s.lr(0), TOL);
        assertEquals(0.1, s.lr(4), TOL);
        assertEquals(0.1, s.lr(14), TOL);
        assertEquals(0.05, s.lr(15), TOL);
    }

    @Test
    void exponentialDecaysPerEpochSmoothly() {
        Schedule s = Schedule.of(new ScheduleSpec(EXPONENTIAL, 0.1, 0, 0.5, 1, 0), 4, 100);
        assertEquals(0.1, s.lr(0), TOL);
        assertEquals(0.1 * Math.sqrt(0.5), s.lr(2), TOL);
        assertEquals(0.05, s.lr(4), TOL);
        assertEquals(0.025, s.lr(8), TOL);
    }

    @Test
    void minLearningRateFloorsStepAndExponentialDecay() {
        // γ = 0.5 per epoch of 4 steps from 0.1, floor 0.03: 0.1, 0.05, then 0.025 → 0.03; warmup is not floored
        Schedule step = Schedule.of(new ScheduleSpec(ScheduleKind.STEP, 0.1, 1, 0.5, 1, 0.03), 4, 100);
        assertEquals(0.025, step.lr(0), TOL);
        assertEquals(0.1, step.lr(4), TOL);
        assertEquals(0.05, step.lr(8), TOL);
        assertEquals(0.03, step.lr(12), TOL);
        assertEquals(0.03, step.lr(99), TOL);
        Schedule exp = Schedule.of(new ScheduleSpec(ScheduleKind.EXPONENTIAL, 0.1, 0, 0.5, 1, 0.03), 4, 100);
        assertEquals(0.1 * Math.sqrt(0.5), exp.lr(2), TOL);
        assertEquals(0.05, exp.lr(4), TOL);
        assertEquals(0.03, exp.lr(7), TOL); // 0.1·0.5^1.75 ≈ 0.0297
        assertEquals(0.03, exp.lr(99), TOL);
        assertThrows(IllegalArgumentException.class,
                () -> Schedule.of(new ScheduleSpec(ScheduleKind.EXPONENTIAL, 0.1, 0, 0.5, 1, 0.2), 1, 10));
    }

    @Test
    void cosineEndpointsAndMidpoint() {
        // 1 warmup epoch of 10 steps, then cosine over T − W = 100 steps
        Schedule s = Schedule.of(new ScheduleSpec(COSINE, 0.1, 1, 1, 1, 0.001), 10, 110);
        assertEquals(0.01, s.lr(0), TOL);
        assertEquals(0.1, s.lr(9), TOL);
        assertEquals(0.1, s.lr(10), TOL);
        assertEquals(0.0505, s.lr(60), 1e-14);
        double last = s.lr(109);
        assertTrue(last > 0.001 && last < 0.0011, "last step just above min-lr: " + last);
        assertEquals(0.001 + 0.5 * 0.099 * (1 + Math.cos(Math.PI * 99 / 100)), last, TOL);
        assertEquals(0.001, s.lr(110), TOL);
        assertEquals(0.001, s.lr(500), TOL);
    }

    @Test
    void cosineWithoutWarmupStartsAtBase() {
        Schedule s = Schedule.of(new ScheduleSpec(COSINE, 1.0, 0, 1, 1, 0), 1, 4);
        assertEquals(1.0, s.lr(0), TOL);
        assertEquals(0.5 * (1 + Math.cos(Math.PI / 4)), s.lr(1), TOL);
        assertEquals(0.5, s.lr(2), TOL);
        assertEquals(0.0, s.lr(4), TOL);
    }

    @Test
    void onlyTheDecaysByGammaReadGammaAndOnlyCosineSpansTheRun() {
        for (ScheduleKind k : ScheduleKind.values()) {
            // gamma 0 is out of (0, 1]: refused exactly by the schedules that decay by it
            ScheduleSpec spec = new ScheduleSpec(k, 0.1, 0, 0, 1, 0);
            if (k.decaysByGamma()) {
                assertThrows(IllegalArgumentException.class, () -> Schedule.of(spec, 1, 10), k.id());
            } else {
                assertEquals(0.1, Schedule.of(spec, 1, 10).lr(0), TOL, k.id());
            }
            assertEquals(k == ScheduleKind.COSINE, k.spansRun(), k.id());
        }
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(CONSTANT, 0, 0, 1, 1, 0), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(CONSTANT, 0.1, -1, 1, 1, 0), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(CONSTANT, 0.1, 3, 1, 1, 0), 5, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(STEP, 0.1, 0, 1.5, 1, 0), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(STEP, 0.1, 0, 0.5, 0, 0), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(EXPONENTIAL, 0.1, 0, 0, 1, 0), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(new ScheduleSpec(COSINE, 0.1, 0, 1, 1, 0.2), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(ScheduleSpec.constant(0.1), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(ScheduleSpec.constant(0.1), 1, 10).lr(-1));
        // fields a schedule does not use are not validated
        assertEquals(0.1, Schedule.of(new ScheduleSpec(COSINE, 0.1, 0, -7, 0, 0), 1, 10).lr(0), TOL);
    }
}
