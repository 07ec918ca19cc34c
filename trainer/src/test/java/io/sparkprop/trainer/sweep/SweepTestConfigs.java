// Small configs for the sweep tests: HOCON text over reference.conf, as ConfigLoader.load would resolve it.
package io.sparkprop.trainer.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.config.ConfigLoader;

final class SweepTestConfigs {
    private SweepTestConfigs() {
    }

    static Config parse(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigLoader.reference()).resolve();
    }

    /** A tiny wheat-seeds run: few epochs, one thread, so a sweep of several trials takes a few seconds. */
    static Config seeds(String sweep) {
        return parse("""
                data { train = "builtin:wheat-seeds", validation-fraction = 0.2 }
                model.hidden = [8]
                train { epochs = 6, batch-size = 32, threads = 1 }
                sweep { %s }
                """.formatted(sweep));
    }
}
