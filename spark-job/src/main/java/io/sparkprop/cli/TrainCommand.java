// `sparkprop train`: one training run with the configured engine, writing OUT/ (summary, metrics, model, curves).
package io.sparkprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.train.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network. Without --config, trains conf/default.conf (the bundled wheat-seeds data).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<name>-<time>).")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for train.engine = spark (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = common.load();
        if (resume && out == null) {
            throw new UserError("--resume needs --out DIR (the run to continue)");
        }
        Path dir = out != null ? out : Path.of("runs", cfg.runName(common.configFile()) + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        OutputPaths.checkDirectory("--out", dir);
        boolean existed = Files.exists(dir);
        try (EngineHooks hooks = new EngineHooks(cfg, master, cfg.runName(common.configFile()), common.verbose)) {
            new TrainJob(cfg, dir, hooks, System.err).run(resume);
        } catch (UserError e) {
            // A run refused before it wrote anything leaves no empty directory behind.
            if (!existed && isEmptyDirectory(dir)) {
                Files.delete(dir);
            }
            throw e;
        }
        System.err.println("wrote " + dir);
        return 0;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
