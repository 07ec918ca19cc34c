// One `train` command end to end: check the input, load the data, optional k-fold CV, train, evaluate, write the run.
package io.sparkprop.trainer.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.eval.Metrics;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;
import io.sparkprop.trainer.nn.Network;

/**
 * Everything that can fail on user input (config, data files, sizes) is checked before the output directory
 * is created, so a run that fails early leaves nothing behind. Output: OUT/{summary.json, metrics.csv,
 * config.conf, model/, checkpoints/} plus whatever {@link RunHooks#afterRun} adds (curves.png).
 */
public final class TrainJob {
    private final TrainConfig cfg;
    private final Path out;
    private final RunHooks hooks;
    private final PrintStream log;
    private PreparedData data;
    private int stopAfter = Integer.MAX_VALUE;
    private Consumer<EpochRecord> onEpoch = r -> { };

    public TrainJob(TrainConfig cfg, Path out, RunHooks hooks, PrintStream log) {
        this.cfg = cfg;
        this.out = out;
        this.hooks = hooks;
        this.log = log;
    }

    /**
     * Trains on {@code prepared} instead of loading cfg's data (a sweep loads it once for all trials). It must
     * have been prepared from the same data.* keys and train.seed as cfg.
     */
    public TrainJob withData(PreparedData prepared) {
        this.data = prepared;
        return this;
    }

    /**
     * Pauses after {@code epochs} epochs (with a checkpoint) although train.epochs is larger; the learning-rate
     * schedule still spans train.epochs, so a later resume continues exactly as an uninterrupted run would.
     */
    public TrainJob stopAfter(int epochs) {
        this.stopAfter = epochs;
        return this;
    }

    /** Called after every epoch, after metrics.csv was written. */
    public TrainJob onEpoch(Consumer<EpochRecord> listener) {
        this.onEpoch = listener;
        return this;
    }

    /** Runs and returns the summary that was written to OUT/summary.json. */
    public Map<String, Object> run(boolean resume) throws IOException {
        // Cheap checks first: a wrong --out or --resume costs nothing, not a data load or a Spark start.
        RunStart start = new RunStart(cfg, out);
        start.checkOutputDirectory(resume);
        if (cfg.earlyStoppingPatience() > 0 && cfg.validationFraction() == 0 && !hooks.ownValidationSplit()) {
            throw new UserError("train.early-stopping-patience: " + cfg.earlyStoppingPatience() + " needs a validation"
                    + " split to watch; set data.validation-fraction > 0");
        }
        TrainingData data = this.data != null ? this.data
                : cfg.folds() > 1 ? PreparedData.load(cfg, log) : hooks.prepare(cfg, log);
        Network net = data.network(cfg);
        if (!cfg.lbfgs() && cfg.batchSize() > data.trainRows()) {
            throw new UserError("train.batch-size: " + cfg.batchSize() + " is larger than the " + data.trainRows()
                    + " training rows");
        }
        // Builds (and so validates) the optimizer and schedule before anything is written.
        ConfiguredUpdater.rule(cfg, net, ConfiguredUpdater.plan(cfg, data.trainRows(), cfg.seed()));
        if (!resume) {
            start.fresh(net); // reads, and so checks, a model.init file before anything is written
        }
        Files.createDirectories(out);

        Map<String, Object> summary = new LinkedHashMap<>();
        if (cfg.folds() > 1) {
            summary.putAll(CrossValidation.run(cfg, (PreparedData) data, start, hooks, log));
        }
        long t0 = System.nanoTime();
        List<EpochRecord> history = resume ? RunOutputs.readMetrics(out) : new ArrayList<>();
        BatchPlan plan = ConfiguredUpdater.plan(cfg, data.trainRows(), cfg.seed());
        TrainState state;
        double[] params;
        try (Engine engine = hooks.engine(net, data, plan)) {
            CheckpointStore checkpoints = hooks.checkpointStore(cfg, out);
            state = start.state(resume, checkpoints, net);
            if (!resume) {
                // Before the first epoch, not only at the end: the resume of an interrupted run compares its
                // config with this one and names the keys that changed.
                AtomicFiles.writeString(out.resolve("config.conf"), ConfigText.render(cfg.config()));
            }
            for (String s : start.skippedCheckpoints()) {
                log.println("--resume: passed over checkpoint " + s + "; resuming from the previous one (after epoch "
                        + state.nextEpoch + ")");
            }
            history.removeIf(r -> r.epoch() > state.nextEpoch);
            String details = engine.details().isEmpty() ? "" : " (" + engine.details() + ")";
            log.printf("engine %s%s, backend %s; network %s, %s; %s%n", cfg.engineKind(), details,
                    engine.backend(), net, net.countText(), data.describe());
            EpochRule rule = ConfiguredUpdater.rule(cfg, net, plan);
            int startEpoch = state.nextEpoch;
            new Trainer(net, engine, rule, checkpoints, cfg.checkpointEvery(), cfg.earlyStoppingPatience())
                    .run(state, Math.min(cfg.epochs(), stopAfter), r -> {
                        history.add(r);
                        log.println(ProgressLine.of(r, net.classifier));
                        RunOutputs.writeMetrics(out, history);
                        onEpoch.accept(r);
                    });
            params = state.params;
            double seconds = (System.nanoTime() - t0) / 1e9;
            summary.putAll(evaluate(engine, params, net));
            summary.put("epochs", state.nextEpoch);
            if (resume) {
                summary.put("resumed_from_epoch", startEpoch); // epochs startEpoch+1 .. epochs ran in this run
                if (!start.skippedCheckpoints().isEmpty()) {
                    summary.put("resume_skipped_checkpoints", start.skippedCheckpoints());
                }
            }
            summary.put("steps", state.globalStep);
            summary.put("train_seconds", seconds);
            summary.put("samples_per_second", (double) (state.nextEpoch - startEpoch) * plan.rows / seconds);
            summary.put("weights_sha256", ModelIO.weightsSha256(params));
            summary.put("engine", cfg.engineKind().id());
            summary.put("backend", engine.backend());
            summary.put("precision", cfg.computePrecision().id());
        }
        summary.putAll(hooks.summaryExtras());
        if (data.skippedRows() > 0) {
            summary.put("skipped_rows", data.skippedRows());
            summary.put("skipped_lines", data.skippedLines());
        }
        String rendered = ConfigText.render(cfg.config());
        ModelIO.save(new Model(net, params, data.scaler().kind().id(), data.scaler().shift(), data.scaler().scale(),
                data.classNames(), rendered, data.header()), out.resolve("model"));
        AtomicFiles.writeString(out.resolve("config.conf"), rendered);
        RunOutputs.writeSummary(out, summary);
        hooks.afterRun(out, history, net.classifier);
        return summary;
    }

    /** Test metrics of every split present, named as summary.json promises. */
    private Map<String, Object> evaluate(Engine engine, double[] params, Network net) {
        Map<String, Object> s = new LinkedHashMap<>();
        put(s, "train", engine.evaluate(params, Engine.Split.TRAIN), net);
        put(s, "val", engine.evaluate(params, Engine.Split.VALIDATION), net);
        put(s, "test", engine.evaluate(params, Engine.Split.TEST), net);
        return s;
    }

    private static void put(Map<String, Object> s, String prefix, double[] stats, Network net) {
        if (stats == null) {
            return;
        }
        Metrics m = Metrics.of(stats, net);
        s.put(prefix + "_loss", m.loss());
        if (m.isClassification()) {
            s.put(prefix + "_accuracy", m.accuracy());
        } else {
            s.put(prefix + "_rmse", m.rmse());
            s.put(prefix + "_mae", m.mae());
            s.put(prefix + "_r2", m.r2());
        }
    }
}
