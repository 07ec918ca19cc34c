// The gradcheck command passes for every activation × loss with hidden [6,5] and reports the worst error.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.nn.Activation;
import io.sparkprop.trainer.nn.Loss;

class GradcheckCommandTest {

    @Test
    void everyActivationAndLossPassesAtOneInAMillion() {
        for (Activation a : Activation.values()) {
            for (Loss l : Loss.values()) {
                Cli r = Cli.run("gradcheck", "--config", Cli.conf("default.conf"), "--set", "model.hidden=[6,5]",
                        "--set", "model.activation=" + a.configName, "--set", "model.loss=" + l.configName,
                        "--tolerance", "1e-6");
                assertEquals(0, r.exit(), a + " × " + l + ":\n" + r.out() + r.err());
                String last = r.out().strip().lines().reduce((x, y) -> y).orElseThrow();
                assertTrue(last.startsWith("max_relative_error="), last);
                assertTrue(Double.parseDouble(last.substring(19)) <= 1e-6, last);
                assertTrue(r.out().contains("W1") && r.out().contains("input"), r.out());
            }
        }
    }

    /** Without --tolerance the default fits the precision: 1e-6 for float64, 1e-3 for float32. */
    @Test
    void everyOutputAndLossPassesAtTheDefaultToleranceInBothPrecisions() {
        String[][] pairs = {{"softmax-cross-entropy", "auto"}, {"sigmoid-cross-entropy", "sigmoid"},
            {"mse", "identity"}, {"mse", "sigmoid"}, {"mse", "softmax"}};
        for (String precision : new String[] {"float64", "float32"}) {
            for (String[] pair : pairs) {
                Cli r = Cli.run("gradcheck", "--config", Cli.conf("default.conf"), "--set", "model.hidden=[6,5]",
                        "--set", "model.loss=" + pair[0], "--set", "model.output=" + pair[1],
                        "--set", "compute.precision=" + precision);
                String what = precision + " " + pair[0] + " on " + pair[1] + ":\n" + r.out() + r.err();
                assertEquals(0, r.exit(), what);
                String last = r.out().strip().lines().reduce((x, y) -> y).orElseThrow();
                double max = Double.parseDouble(last.substring("max_relative_error=".length()));
                assertTrue(max <= (precision.equals("float32") ? 1e-3 : 1e-6), what);
            }
        }
    }

    @Test
    void exitsOneAboveTheTolerance() {
        Cli r = Cli.run("gradcheck", "--config", Cli.conf("default.conf"), "--tolerance", "1e-30");
        assertEquals(1, r.exit(), r.out());
    }
}
