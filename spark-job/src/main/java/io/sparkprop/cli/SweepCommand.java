// `sparkprop sweep`: trains the trials of the config's sweep { ... } block and ranks them; rerunning resumes.
package io.sparkprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;

import io.sparkprop.plot.SweepPlot;
import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.io.AtomicFiles;
import io.sparkprop.trainer.sweep.Leaderboard;
import io.sparkprop.trainer.sweep.SweepRunner;
import io.sparkprop.trainer.sweep.SweepSpec;
import io.sparkprop.trainer.sweep.Trial;
import io.sparkprop.trainer.sweep.TrialRecord;
import io.sparkprop.trainer.sweep.Trials;
import io.sparkprop.trainer.train.EpochRecord;
import io.sparkprop.trainer.train.RunOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole spec and every trial config are validated before the output directory is touched, so a typo
 * costs one line on stderr and no training. The ranked table goes to stdout, progress to stderr.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Hyperparameter sweep over the config's sweep { ... } block (grid or random search, optional"
                + " successive halving, k trials at once). Rerun the same command to resume or extend it.")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default: runs/<sweep name>).")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for train.engine = spark.")
    String master;

    @Option(names = "--retry-failed", description = "Train failed trials again (by default they stay failed).")
    boolean retryFailed;

    @Override
    public Integer call() throws Exception {
        Path file = common.configFile();
        Config base = ConfigLoader.load(file, common.sets);
        TrainConfig.from(base); // the base config's own errors first, named without trial context
        SweepSpec spec = SweepSpec.from(base);
        List<Trial> trials = Trials.plan(base, spec);
        String name = !spec.name.isEmpty() ? spec.name : TrainConfig.from(base).runName(file);
        Path dir = out != null ? out : Path.of("runs", name);
        OutputPaths.checkDirectory("--out", dir);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("sweep.conf"), ConfigText.render(base));

        Map<String, TrialRecord> records;
        int started;
        try (SweepEngines engines = new SweepEngines(master, name, spec.parallelism, common.verbose)) {
            SweepRunner runner = new SweepRunner(dir, spec, trials, engines, System.err, retryFailed);
            records = runner.run();
            started = runner.started();
        }
        Leaderboard board = new Leaderboard(spec, trials, records);
        board.write(dir);
        Map<Trial, List<EpochRecord>> curves = new LinkedHashMap<>();
        for (Leaderboard.Row r : board.rows()) {
            curves.put(r.trial(), RunOutputs.readMetrics(dir.resolve("trials").resolve(r.trial().id())));
        }
        SweepPlot.write(dir.resolve("sweep.png"), spec.metric, board, curves);
        board.print(System.out, 25);
        System.err.printf("wrote %s (%d training segments started by this run)%n", dir, started);
        if (board.best() == null) {
            throw new UserError("no trial finished; see " + dir.resolve("trials.jsonl") + " and " + dir.resolve("logs"));
        }
        return 0;
    }
}
