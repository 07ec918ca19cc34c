// What a prepared run keeps referenced: float32 must halve the feature bytes of float64, not add a copy.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;

class PreparedDataMemoryTest {
    static final int ROWS = 3000;
    static final int FEATURES = 40;

    @TempDir
    static Path dir;

    static Path csv() throws IOException {
        Path f = dir.resolve("rows.csv");
        if (!Files.exists(f)) {
            SplittableRandom r = new SplittableRandom(1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < FEATURES; j++) sb.append(r.nextInt(256)).append(',');
                sb.append(r.nextInt(3)).append('\n');
            }
            Files.writeString(f, sb);
        }
        return f;
    }

    static PreparedData prepare(String precision, String scale, String validation) throws IOException {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of("data.train=\"" + csv() + "\"",
                "data.format=csv", "data.scale=" + scale, "data.validation-fraction=" + validation,
                "compute.precision=" + precision)));
        return PreparedData.load(cfg, new PrintStream(OutputStream.nullOutputStream()));
    }

    /**
     * Bytes of every primitive array reachable from root through fields of the project's own classes and
     * through arrays (each array counted once), payload only: the features, targets and scaler statistics.
     */
    static long retainedArrayBytes(Object root) throws IllegalAccessException {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        long bytes = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> c = o.getClass();
            if (c.isArray()) {
                Class<?> e = c.getComponentType();
                int n = Array.getLength(o);
                if (e.isPrimitive()) {
                    bytes += (long) n * (e == double.class || e == long.class ? 8
                            : e == float.class || e == int.class ? 4 : e == short.class || e == char.class ? 2 : 1);
                } else {
                    for (int i = 0; i < n; i++) if (Array.get(o, i) != null) todo.add(Array.get(o, i));
                }
                continue;
            }
            if (!c.getName().startsWith("io.sparkprop.")) {
                continue;
            }
            for (Class<?> k = c; k != null && k.getName().startsWith("io.sparkprop."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object v = f.get(o);
                    if (v != null) todo.add(v);
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"minmax", "none", "standard"})
    void float32KeepsHalfTheFeatureBytesOfFloat64(String scale) throws Exception {
        for (String validation : List.of("0.0", "0.2")) {
            PreparedData d64 = prepare("float64", scale, validation);
            PreparedData d32 = prepare("float32", scale, validation);
            assertNull(d32.all, "without k-fold CV the unscaled table is not kept");
            long features = (long) ROWS * FEATURES;
            // Targets (one double per row) and the scaler's two double[FEATURES] come on top of the features.
            long other = 8L * ROWS + 2 * 8L * FEATURES;
            long b64 = retainedArrayBytes(d64);
            long b32 = retainedArrayBytes(d32);
            assertEquals(8 * features + other, b64, "float64, scale " + scale + ", validation " + validation);
            assertEquals(4 * features + other, b32, "float32, scale " + scale + ", validation " + validation);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void crossValidationKeepsTheUnscaledRows(String precision) throws Exception {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of("data.train=\"" + csv() + "\"",
                "data.format=csv", "data.scale=minmax", "data.validation-fraction=0.0", "eval.folds=3",
                "compute.precision=" + precision)));
        PreparedData d = PreparedData.load(cfg, new PrintStream(OutputStream.nullOutputStream()));
        assertTrue(d.all != null && d.all.rows == ROWS, "k-fold CV refits the scaler on the unscaled rows");
    }
}
