// Runs a sweep's trials, k at a time, rung by rung, journaling to OUT/trials.jsonl so a rerun picks up the rest.
package io.sparkprop.trainer.sweep;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.typesafe.config.Config;

import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.LocalCheckpointStore;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.RunHooks;
import io.sparkprop.trainer.train.RunOutputs;
import io.sparkprop.trainer.train.TrainJob;

/**
 * Layout: OUT/trials.jsonl, OUT/trials/&lt;id&gt;/ (a normal train run directory: checkpoints, metrics.csv,
 * model/), OUT/logs/&lt;id&gt;.log (the trial's progress lines). Without early termination there is one rung,
 * each trial's train.epochs. A trial whose rung result is in the log never trains that rung again; one that
 * was interrupted continues from its last checkpoint. A failed trial stays failed unless retryFailed.
 */
public final class SweepRunner {
    /** Supplies the engine of one trial; called on the thread that trains it, slot 0..parallelism-1. */
    public interface Engines {
        RunHooks forTrial(Trial trial, int slot);
    }

    private final Path out;
    private final SweepSpec spec;
    private final List<Trial> trials;
    private final Engines engines;
    private final PrintStream console;
    private final boolean retryFailed;
    private final EventLog events;
    private final Map<String, PreparedData> data = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private Map<String, TrialRecord> records;

    public SweepRunner(Path out, SweepSpec spec, List<Trial> trials, Engines engines, PrintStream console,
                       boolean retryFailed) {
        this.out = out;
        this.spec = spec;
        this.trials = trials;
        this.engines = engines;
        this.console = console;
        this.retryFailed = retryFailed;
        this.events = new EventLog(out.resolve("trials.jsonl"));
    }

    /** Trains what the log says is left, then returns every planned trial's record (also for the outputs). */
    public Map<String, TrialRecord> run() throws IOException {
        Files.createDirectories(out.resolve("logs"));
        records = new ConcurrentHashMap<>(TrialRecord.replay(events.read()));
        for (Trial t : trials) records.computeIfAbsent(t.id(), k -> new TrialRecord());
        List<Trial> open = trials.stream().filter(t -> !settled(t)
                && rec(t).status() != TrialRecord.Status.PRUNED).toList();
        console.printf("sweep: %d trials (%s), %d settled in %s, %d to run, parallelism %d%n", trials.size(),
                spec.method.name().toLowerCase(), trials.size() - open.size(), events.file(), open.size(),
                spec.parallelism);
        if (open.isEmpty()) {
            return records;
        }
        for (Trial t : trials) dataFor(t); // one load per distinct data config, and any data error before training
        List<Integer> rungs = spec.earlyTerminate == null ? List.of(-1) : SuccessiveHalving.rungs(
                spec.earlyTerminate.minEpochs(), spec.earlyTerminate.eta(), trials.get(0).run().epochs());
        long t0 = System.nanoTime();
        List<Trial> active = new ArrayList<>(trials);
        for (int j = 0; j < rungs.size(); j++) {
            int rung = rungs.get(j);
            boolean last = j == rungs.size() - 1;
            List<Trial> todo = active.stream().filter(t -> !settled(t) && !rec(t).hasRung(target(t, rung))).toList();
            runAll(todo, rung);
            List<Trial> reached = active.stream().filter(t -> rec(t).status() == TrialRecord.Status.FINISHED
                    || rec(t).status() != TrialRecord.Status.FAILED && rec(t).hasRung(target(t, rung))).toList();
            if (last) {
                for (Trial t : reached) {
                    if (rec(t).status() != TrialRecord.Status.FINISHED) finish(t);
                }
                continue; // the last rung: nothing left to promote
            }
            List<Trial> promoted = SuccessiveHalving.promote(reached, t -> rungValue(t, rung), spec.metric,
                    spec.earlyTerminate.eta());
            for (Trial t : reached) {
                TrialRecord r = rec(t);
                if (!promoted.contains(t) && r.status() != TrialRecord.Status.FINISHED
                        && r.status() != TrialRecord.Status.PRUNED) {
                    emit(t, event("pruned", t, "epochs", rung, "metric", r.rungMetric(rung)), true);
                    console.printf("trial %s pruned at epoch %d (%s %.4f)%n", t.id(), rung, spec.metric.name(),
                            r.rungMetric(rung));
                }
            }
            console.printf("rung %d/%d (epoch %d): %d of %d trials continue%n", j + 1, rungs.size(), rung,
                    promoted.size(), reached.size());
            active = new ArrayList<>(promoted);
        }
        // The bench script reads this line: training wall time without JVM start and data loading.
        console.printf("sweep: %d training segments in %.3f s wall%n", started.get(), (System.nanoTime() - t0) / 1e9);
        return records;
    }

    /** Training segments started by this invocation (a rerun of a complete sweep starts none). */
    public int started() {
        return started.get();
    }

    /** Never trained again: finished, or failed (unless retrying). A pruned trial may be promoted later. */
    private boolean settled(Trial t) {
        TrialRecord.Status s = rec(t).status();
        return s == TrialRecord.Status.FINISHED || s == TrialRecord.Status.FAILED && !retryFailed;
    }

    private TrialRecord rec(Trial t) {
        return records.get(t.id());
    }

    private static int target(Trial t, int rung) {
        return rung < 0 ? t.run().epochs() : rung;
    }

    /** A finished trial ranks at a rung by its final value when it has no result for that rung. */
    private double rungValue(Trial t, int rung) {
        TrialRecord r = rec(t);
        return r.hasRung(rung) ? r.rungMetric(rung) : r.metric();
    }

    private void runAll(List<Trial> todo, int rung) throws IOException {
        if (todo.isEmpty()) {
            return;
        }
        int k = Math.min(spec.parallelism, todo.size());
        AtomicInteger slots = new AtomicInteger();
        ThreadLocal<Integer> slot = ThreadLocal.withInitial(slots::getAndIncrement);
        ExecutorService pool = Executors.newFixedThreadPool(k, r -> {
            Thread th = new Thread(r, "sparkprop-trial");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Trial t : todo) {
                futures.add(pool.submit(() -> {
                    segment(t, target(t, rung), slot.get());
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sweep interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Trains one trial up to {@code epochs}, resuming from its checkpoint; a failure is logged, not thrown. */
    private void segment(Trial t, int epochs, int slot) throws IOException {
        Path dir = out.resolve("trials").resolve(t.id());
        var checkpoint = new LocalCheckpointStore(t.run().checkpointDir(dir)).latest();
        boolean resume = checkpoint != null;
        if (!resume) {
            AtomicFiles.deleteRecursively(dir); // a start that never reached a checkpoint: nothing to keep
        }
        int from = resume ? checkpoint.nextEpoch : 0;
        started.incrementAndGet();
        Map<String, Object> ev = event("started", t, "index", t.index(), "from_epoch", from, "to_epoch", epochs);
        ev.put("params", new LinkedHashMap<>(t.values()));
        emit(t, ev, true);
        console.printf("trial %s %s (epochs %d..%d): %s%n", t.id(), resume ? "resumed" : "started", from, epochs,
                t.describe());
        long t0 = System.nanoTime();
        Path logFile = out.resolve("logs").resolve(t.id() + ".log");
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true,
                StandardCharsets.UTF_8)) {
            try {
                Map<String, Object> summary = new TrainJob(t.run(), dir, engines.forTrial(t, slot), log)
                        .withData(dataFor(t)).stopAfter(epochs)
                        .onEpoch(r -> emit(t, epochEvent(t, r), false))
                        .run(resume);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] best = best(t, dir, epochs, summary);
                emit(t, event("rung", t, "epochs", epochs, "metric", best[0], "best_epoch", (int) best[1],
                        "seconds", seconds), true);
            } catch (RuntimeException | IOException e) {
                if (e instanceof io.sparkprop.trainer.UserError) {
                    log.println("sparkprop: " + e.getMessage()); // the trial's own mistake: one line, as on the CLI
                } else {
                    e.printStackTrace(log);
                }
                String msg = String.valueOf(e.getMessage()).replace("\r", "").replace("\n", " ").trim();
                emit(t, event("failed", t, "epochs", epochs, "error", e.getClass().getSimpleName() + ": " + msg),
                        true);
                console.printf("trial %s failed: %s (see %s)%n", t.id(), msg, logFile);
            }
        }
    }

    /** {metric, epoch}: the best epoch so far for a per-epoch metric, else the summary's value at this epoch. */
    private double[] best(Trial t, Path dir, int epochs, Map<String, Object> summary) throws IOException {
        Metric m = spec.metric;
        if (!m.perEpoch()) {
            Object v = summary.get(m.name());
            return new double[] {v instanceof Number n ? n.doubleValue() : Double.NaN, epochs};
        }
        double bestValue = Double.NaN;
        int bestEpoch = 0;
        for (EpochRecord r : RunOutputs.readMetrics(dir)) {
            if (r.epoch() <= epochs && m.better(m.of(r), bestValue)) {
                bestValue = m.of(r);
                bestEpoch = r.epoch();
            }
        }
        return new double[] {bestValue, bestEpoch};
    }

    private void finish(Trial t) {
        TrialRecord r = rec(t);
        emit(t, event("finished", t, "metric", r.metric(), "best_epoch", r.bestEpoch(), "epochs", r.epochs(),
                "seconds", r.seconds()), true);
        console.printf("trial %s finished: %s %.4f (epoch %d), %.1fs%n", t.id(), spec.metric.name(), r.metric(),
                r.bestEpoch(), r.seconds());
    }

    private Map<String, Object> epochEvent(Trial t, EpochRecord r) {
        return event("epoch", t, "epoch", r.epoch(), "train_loss", r.trainLoss(), "val_loss", r.valLoss(),
                "val_metric", r.valMetric(), "seconds", r.elapsedSeconds());
    }

    private void emit(Trial t, Map<String, Object> fields, boolean durable) {
        Config e = events.append(fields, durable);
        rec(t).apply(e);
    }

    private static Map<String, Object> event(String kind, Trial t, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", kind);
        m.put("trial", t.id());
        m.put("time", java.time.Instant.now().toString());
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /**
     * Trials that read the data the same way (data.*, train.seed for the validation split, the loss for the
     * label type, compute.precision for how features are kept, eval.folds for whether the unscaled rows are
     * kept) share one PreparedData; it is read-only, so concurrent trials may train on it at once.
     */
    private PreparedData dataFor(Trial t) {
        TrainConfig cfg = t.run();
        Config key = cfg.config().withOnlyPath("data").withFallback(cfg.config().withOnlyPath("train.seed"))
                .withFallback(cfg.config().withOnlyPath("model.loss"))
                .withFallback(cfg.config().withOnlyPath("compute.precision"))
                .withFallback(cfg.config().withOnlyPath("eval.folds")); // only k-fold CV keeps the unscaled rows
        return data.computeIfAbsent(ConfigText.canonicalHash(key), k -> PreparedData.load(cfg, console));
    }
}
