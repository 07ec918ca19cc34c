// Tests for ConfigLoader: layering of reference < file < --set and its one-line errors.
package io.sparkprop.trainer.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.sparkprop.trainer.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void defaultsLoadWithoutFileOrSets() {
        Config c = ConfigLoader.load(null, List.of());
        assertEquals("adam", c.getString("optimizer.name"));
        assertEquals(List.of(16), c.getIntList("model.hidden"));
        assertTrue(ConfigLoader.knownKeys().contains("spark.storage-level"));
        assertEquals(50, ConfigLoader.knownKeys().size(), ConfigLoader.knownKeys().toString());
    }

    @Test
    void setsOverrideFileWhichOverridesReference() throws Exception {
        Path f = write("run.conf", "model { hidden = [8] }\noptimizer.learning-rate = 0.5\ntrain.epochs = 3\n");
        Config c = ConfigLoader.load(f, List.of("model.hidden=[64,32]", "train.epochs=7", "train.epochs=9",
                "data.train=hdfs://nn:8020/data/x.libsvm", "data.test = builtin:iris"));
        assertEquals(List.of(64, 32), c.getIntList("model.hidden"));
        assertEquals(9, c.getInt("train.epochs"));
        assertEquals(0.5, c.getDouble("optimizer.learning-rate"));
        assertEquals("hdfs://nn:8020/data/x.libsvm", c.getString("data.train"));
        assertEquals("builtin:iris", c.getString("data.test"));
        assertEquals("relu", c.getString("model.activation"));
        TrainConfig t = TrainConfig.from(c);
        assertArrayEquals(new int[] {64, 32}, t.hidden());
        assertEquals("run", t.runName(f));
    }

    @Test
    void substitutionsResolveAcrossLayers() throws Exception {
        Path f = write("sub.conf", "schedule.min-learning-rate = ${optimizer.learning-rate}\n");
        Config c = ConfigLoader.load(f, List.of("optimizer.learning-rate=0.003"));
        assertEquals(0.003, c.getDouble("schedule.min-learning-rate"));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("conf/x.conf");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertEquals(f + ": no such config file", e.getMessage());
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        Path f = write("bad.conf", "model {\n  hidden = [16]\n}\n\n\n\ntrain { epochs = = 3 }\neval.folds = 2\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().startsWith(f + ":7: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Path eof = write("eof.conf", "train {\n  epochs = 3\n");
        UserError e2 = assertThrows(UserError.class, () -> ConfigLoader.load(eof, List.of()));
        assertTrue(e2.getMessage().startsWith(eof + ":3: "), e2.getMessage());
    }

    @Test
    void unresolvedSubstitutionNamesLine() throws Exception {
        Path f = write("unres.conf", "\ntrain.epochs = ${nope}\n");
        UserError e = assertThrows(UserError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
    }

    @Test
    void badSets() {
        UserError noEq = assertThrows(UserError.class, () -> ConfigLoader.load(null, List.of("foo")));
        assertEquals("--set foo: expected key=value", noEq.getMessage());
        UserError noKey = assertThrows(UserError.class, () -> ConfigLoader.load(null, List.of("=3")));
        assertEquals("--set =3: expected key=value", noKey.getMessage());
        UserError badValue = assertThrows(UserError.class, () -> ConfigLoader.load(null, List.of("model.hidden=[64,")));
        assertTrue(badValue.getMessage().startsWith("--set model.hidden=[64,: expected key=value"),
                badValue.getMessage());
        assertFalse(badValue.getMessage().contains("\n"));
    }

    @Test
    void emptySetValueIsEmptyString() {
        assertEquals("", ConfigLoader.load(null, List.of("data.test=")).getString("data.test"));
    }
}
