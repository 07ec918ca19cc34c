// `sparkprop train`: one training run with the configured engine, writing OUT/ (summary, metrics, model, curves).
package io.sparkprop.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

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
            throw new io.sparkprop.trainer.UserError("--resume needs --out DIR (the run to continue)");
        }
        Path dir = out != null ? out : Path.of("runs", cfg.runName(common.configFile()) + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (EngineHooks hooks = new EngineHooks(cfg, master, cfg.runName(common.configFile()), common.verbose)) {
            new TrainJob(cfg, dir, hooks, System.err).run(resume);
        }
        System.err.println("wrote " + dir);
        return 0;
    }
}
