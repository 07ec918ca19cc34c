// optimizer.name = lbfgs end to end in-process: it lowers the loss, resumes bit for bit, and refuses what it cannot do.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.config.StepProtocol;
import io.sparkprop.trainer.kernel.Backend;

class LbfgsTrainTest {
    @TempDir
    Path tmp;

    static final RunHooks LOCAL = (net, d, plan) -> LocalEngine.on(net, d, plan, () -> Backend.AUTO.gemm(), 2);
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static TrainConfig cfg(String... extra) {
        List<String> sets = new ArrayList<>(List.of("optimizer.name=lbfgs", "model.hidden=[6]",
                "model.activation=tanh", "train.epochs=12", "optimizer.tolerance=0"));
        sets.addAll(List.of(extra));
        return TrainConfig.from(ConfigLoader.load(null, sets));
    }

    @Test
    void lowersTheLossEveryIterationAndResumesBitForBit() throws Exception {
        List<EpochRecord> epochs = new ArrayList<>();
        Map<String, Object> straight = new TrainJob(cfg(), tmp.resolve("straight"), LOCAL, QUIET)
                .onEpoch(epochs::add).run(false);
        assertEquals(12, epochs.size());
        for (int i = 1; i < epochs.size(); i++) {
            assertTrue(epochs.get(i).trainLoss() < epochs.get(i - 1).trainLoss(), "iteration " + (i + 1));
        }
        assertEquals(12L, ((Number) straight.get("steps")).longValue()); // one full-batch iteration per epoch
        // Paused after 5 iterations and resumed: the history came back from the checkpoint.
        Path out = tmp.resolve("paused");
        new TrainJob(cfg(), out, LOCAL, QUIET).stopAfter(5).run(false);
        Map<String, Object> resumed = new TrainJob(cfg(), out, LOCAL, QUIET).run(true);
        assertEquals(straight.get("weights_sha256"), resumed.get("weights_sha256"));
    }

    @Test
    void stopsOnceTheToleranceIsMet() throws Exception {
        Map<String, Object> s = new TrainJob(cfg("optimizer.tolerance=1e-3", "train.epochs=500"),
                tmp.resolve("tol"), LOCAL, QUIET).run(false);
        int epochs = ((Number) s.get("epochs")).intValue();
        assertTrue(epochs > 1 && epochs < 500, epochs + " iterations");
    }

    @Test
    void refusesWhatALineSearchCannotHonourNamingBothKeys() {
        UserError e = assertThrows(UserError.class, () -> cfg("model.dropout=0.2"));
        assertTrue(e.getMessage().contains("model.dropout") && e.getMessage().contains("optimizer.name"),
                e.getMessage());
        e = assertThrows(UserError.class, () -> cfg("schedule.name=cosine"));
        assertTrue(e.getMessage().contains("schedule.name") && e.getMessage().contains("optimizer.name"),
                e.getMessage());
        e = assertThrows(UserError.class, () -> cfg("optimizer.clip-norm=1"));
        assertTrue(e.getMessage().contains("optimizer.clip-norm") && e.getMessage().contains("optimizer.name"),
                e.getMessage());
        e = assertThrows(UserError.class, () -> cfg("spark.protocol=barrier"));
        assertTrue(e.getMessage().contains("spark.protocol") && e.getMessage().contains("optimizer.name"),
                e.getMessage());
        assertEquals(StepProtocol.DRIVER, cfg().stepProtocol());
    }

    @Test
    void ignoresTheBatchSize() throws Exception {
        // A batch larger than the data is no error: L-BFGS always takes all rows.
        Map<String, Object> s = new TrainJob(cfg("train.batch-size=100000", "train.epochs=2"), tmp.resolve("b"),
                LOCAL, QUIET).run(false);
        assertEquals(2L, ((Number) s.get("steps")).longValue());
    }
}
