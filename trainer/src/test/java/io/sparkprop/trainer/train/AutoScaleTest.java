// data.scale = auto on the in-process path: min-max for LIBSVM rows, standard for a CSV table, saved as such.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.Scaler;

class AutoScaleTest {
    @TempDir
    Path dir;

    private static Scaler.Kind kindFor(Path data, String scale) {
        TrainConfig cfg = TrainConfig.from(ConfigLoader.load(null, List.of("data.train=\"" + data + "\"",
                "data.scale=" + scale, "data.validation-fraction=0")));
        return PreparedData.load(cfg, new PrintStream(OutputStream.nullOutputStream())).scaler().kind();
    }

    @Test
    void autoFollowsTheFormatAndAnExplicitKindWins() throws Exception {
        Path svm = Files.write(dir.resolve("a.libsvm"), List.of("1 1:0.5 3:2", "2 2:1", "1 1:1 2:3 3:1", "2 3:4"));
        Path csv = Files.write(dir.resolve("a.csv"), List.of("1,2,x", "3,5,y", "2,2,x", "4,1,y"));
        assertEquals(Scaler.Kind.MINMAX, kindFor(svm, "auto"));
        assertEquals(Scaler.Kind.STANDARD, kindFor(csv, "auto"));
        assertEquals(Scaler.Kind.STANDARD, kindFor(svm, "standard"));
        assertEquals(Scaler.Kind.NONE, kindFor(csv, "none"));
    }
}
