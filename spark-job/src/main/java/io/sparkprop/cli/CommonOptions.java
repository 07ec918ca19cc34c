// Options every command shares: --verbose, and the config layering of --config and --set.
package io.sparkprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import picocli.CommandLine.Option;

/** A picocli mixin: --set values are HOCON, later ones win over earlier ones, the file, and the defaults. */
final class CommonOptions {
    static final Path DEFAULT_CONFIG = Path.of("conf", "default.conf");

    @Option(names = "--verbose", description = "Print stack traces and debug logs.")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON config (default: conf/default.conf).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key (repeatable).")
    List<String> sets = new ArrayList<>();

    /**
     * The config file in effect: --config (relative to the working directory), else conf/default.conf of the
     * working directory or of the installation (-Dsparkprop.home, set by scripts/sparkprop), else the built-in
     * defaults.
     */
    Path configFile() {
        if (config != null) {
            return config;
        }
        if (Files.exists(DEFAULT_CONFIG)) {
            return DEFAULT_CONFIG;
        }
        String home = System.getProperty("sparkprop.home");
        Path installed = home == null ? null : Path.of(home).resolve(DEFAULT_CONFIG);
        return installed != null && Files.exists(installed) ? installed : null;
    }

    TrainConfig load() {
        return TrainConfig.from(ConfigLoader.load(configFile(), sets));
    }
}
