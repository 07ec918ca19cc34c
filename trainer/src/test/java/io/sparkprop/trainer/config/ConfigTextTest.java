// Tests for ConfigText: OUT/config.conf round-trips and keeps only known keys; the canonical hash ignores spelling.
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTextTest {
    @TempDir
    Path dir;

    @Test
    void renderRoundTripsAndKeepsOnlyKnownKeysAndSweep() throws Exception {
        Path f = Files.writeString(dir.resolve("r.conf"),
                "sweep { optimizer.learning-rate = [0.1, 0.01] }\nmodel.hidden = [5, 4]\n");
        Config c = ConfigLoader.load(f, List.of("train.seed=7"));
        String text = ConfigText.render(c.withFallback(ConfigFactory.parseString("foreign.key = 1")));
        assertFalse(text.contains("foreign"), text);
        assertFalse(text.contains("#"), text);
        Config back = ConfigLoader.load(Files.writeString(dir.resolve("back.conf"), text), List.of());
        assertEquals(ConfigText.canonicalHash(c), ConfigText.canonicalHash(back));
        assertEquals(List.of(0.1, 0.01), back.getDoubleList("sweep.optimizer.learning-rate"));
        assertEquals(7, TrainConfig.from(back).seed());
    }

    @Test
    void canonicalHashIgnoresKeyOrderAndNumberSpelling() {
        Config a = ConfigFactory.parseString("optimizer { name = sgd, learning-rate = 1 }\ntrain.epochs = 3");
        Config b = ConfigFactory.parseString("train { epochs = 3.0 }\noptimizer.learning-rate = 1.0\noptimizer.name = sgd");
        assertEquals(ConfigText.canonicalHash(a), ConfigText.canonicalHash(b));
        assertEquals(64, ConfigText.canonicalHash(a).length());
        Config d = ConfigFactory.parseString("optimizer { name = sgd, learning-rate = 0.1 }\ntrain.epochs = 3");
        assertNotEquals(ConfigText.canonicalHash(a), ConfigText.canonicalHash(d));
        assertEquals("{\"optimizer\":{\"learning-rate\":1,\"name\":\"sgd\"},\"train\":{\"epochs\":3}}",
                ConfigText.canonicalJson(b));
    }
}
