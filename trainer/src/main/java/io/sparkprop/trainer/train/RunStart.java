// How a run begins: a fresh start into an empty --out, or a resume from the latest checkpoint of the same config.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

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
    /** Newer checkpoints a resume passed over because they did not verify ("NAME: why"). */
    private final List<String> skipped = new ArrayList<>();

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

    /** The checkpoints the resume passed over, newest first: empty unless the newest did not verify. */
    List<String> skippedCheckpoints() {
        return List.copyOf(skipped);
    }

    private TrainState resumed(CheckpointStore checkpoints, Network net) throws IOException {
        TrainState s = checkpoints.latest(skipped::add);
        if (s == null) {
            throw new UserError(out + ": no checkpoint to resume from (checkpoint.dir " + checkpoints + ")"
                    + (skipped.isEmpty() ? "" : "; unreadable: " + String.join(", ", skipped)));
        }
        if (!s.configHash.equals(resumeHash())) {
            String keys = changedKeys();
            throw new UserError("--resume: the config differs from the checkpointed run's in "
                    + (keys != null ? keys : "more than train.epochs") + "; only train.epochs may change (and"
                    + " train.name, spark.protocol); start a new run with another --out");
        }
        if (s.params.length != net.paramCount()) {
            throw new UserError("--resume: the checkpoint has " + s.params.length + " values, the network's θ "
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
        return ConfigText.canonicalHash(resumable(cfg.config()));
    }

    private Config resumable(Config c) {
        Config kept = c.withoutPath("train.name").withoutPath("spark.protocol");
        return cfg.schedule().spansRun() ? kept : kept.withoutPath("train.epochs");
    }

    /**
     * "model.hidden ([16] → [32])" for every key where this config and OUT/config.conf (written when the run
     * started) differ; null when that file is missing or unreadable.
     */
    private String changedKeys() {
        Path saved = out.resolve("config.conf");
        if (!Files.isRegularFile(saved)) {
            return null;
        }
        Config before;
        try {
            before = resumable(ConfigFactory.parseFile(saved.toFile()).resolve());
        } catch (ConfigException e) {
            return null;
        }
        Config now = resumable(cfg.config());
        TreeSet<String> keys = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : before.entrySet()) keys.add(e.getKey());
        for (Map.Entry<String, ConfigValue> e : now.entrySet()) keys.add(e.getKey());
        List<String> changed = new ArrayList<>();
        for (String k : keys) {
            String was = render(before, k);
            String is = render(now, k);
            if (!was.equals(is)) {
                changed.add(k + " (" + was + " → " + is + ")");
            }
        }
        return changed.isEmpty() ? null : String.join(", ", changed);
    }

    private static String render(Config c, String key) {
        return c.hasPath(key) ? c.getValue(key).render(ConfigRenderOptions.concise()) : "unset";
    }
}
