// How a run begins: a fresh start into an empty --out, or a resume from the latest checkpoint of the same config.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.model.InitialWeights;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.optim.ScheduleKind;

/** Every refusal here is a user error naming --out, --resume or checkpoint.dir, raised before anything is written. */
final class RunStart {
    private final TrainConfig cfg;
    private final Path out;

    RunStart(TrainConfig cfg, Path out) {
        this.cfg = cfg;
        this.out = out;
    }

    /** A resume needs OUT to exist; a new run needs it absent or empty. */
    void checkOutputDirectory(boolean resume) throws IOException {
        boolean exists = Files.isDirectory(out);
        if (resume && !exists) {
            throw new UserError("--resume: " + out + " does not exist");
        }
        if (!resume && exists) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("--out " + out + " already exists and is not empty (use --resume to continue"
                            + " it, or another --out)");
                }
            }
        }
    }

    /** The state training starts from: the latest checkpoint when resuming, else freshly initialised weights. */
    TrainState state(boolean resume, CheckpointStore checkpoints, Network net) throws IOException {
        return resume ? resumed(checkpoints, net) : fresh(checkpoints, net);
    }

    /** A new run must not share its checkpoint folder with another run's checkpoints (it would prune them). */
    private TrainState fresh(CheckpointStore checkpoints, Network net) throws IOException {
        if (checkpoints.latest() != null) {
            throw new UserError("checkpoint.dir: " + cfg.checkpointDir(out) + " already holds checkpoints of another"
                    + " run; use --resume to continue that run, or another checkpoint.dir");
        }
        return fresh(net);
    }

    /**
     * Weights drawn by model.init from train.seed, or read from its file (a saved model to warm-start from, or
     * JSON); no optimizer state yet, epoch 0.
     */
    TrainState fresh(Network net) {
        double[] params = InitialWeights.of(net, cfg.init(), cfg.seed(), cfg.initFile());
        return new TrainState(resumeHash(), params, new double[0]);
    }

    private TrainState resumed(CheckpointStore checkpoints, Network net) throws IOException {
        TrainState s = checkpoints.latest();
        if (s == null) {
            throw new UserError(out + ": no checkpoint to resume from (checkpoint.dir " + checkpoints + ")");
        }
        if (!s.configHash.equals(resumeHash())) {
            throw new UserError("--resume: the config differs from the checkpointed run's in more than"
                    + " train.epochs; start a new run with another --out");
        }
        if (s.params.length != net.paramCount()) {
            throw new UserError("--resume: the checkpoint has " + s.params.length + " parameters, the network "
                    + net.paramCount());
        }
        return s;
    }

    /**
     * What a resumed run must share with the original: everything except the run name, spark.protocol (both
     * protocols compute the same bits) and the epoch budget — unless the schedule {@link ScheduleKind#spansRun spans
     * the run} (cosine: its curve is drawn over train.epochs), so a longer run would not continue it.
     */
    private String resumeHash() {
        var c = cfg.config().withoutPath("train.name").withoutPath("spark.protocol");
        return ConfigText.canonicalHash(cfg.schedule().spansRun() ? c : c.withoutPath("train.epochs"));
    }
}
