// scripts/sparkprop run from another directory: relative paths resolve against that directory, not the project.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.ml.SparkMlDataAccess;

class LauncherTest {
    @TempDir
    Path tmp;

    @Test
    void relativePathsResolveAgainstTheCallersDirectory() throws Exception {
        Path launcher = Path.of("..", "scripts", "sparkprop").toAbsolutePath().normalize();
        SparkMlDataAccess.writeSeedsCsv(tmp.resolve("my.csv"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "train", "--set", "data.train=my.csv",
                "--set", "train.epochs=2", "--out", "runs/x").directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("SPARKPROP_CLASSPATH", cp);
        pb.environment().put("SPARKPROP_JAVA_OPTS", "-Xmx512m");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        Path run = tmp.resolve("runs").resolve("x");
        assertTrue(Files.exists(run.resolve("summary.json")), output);
        Config used = ConfigFactory.parseFile(run.resolve("config.conf").toFile());
        assertEquals("my.csv", used.getString("data.train"));
        // Without --config the project's conf/default.conf still applies (train.name = default there).
        assertEquals("default", used.getString("train.name"));
        assertTrue(output.contains("210 rows"), output);
    }
}
