// Mistakes a new user makes on a first try: each is exit 2 with one line naming the key or file, and no Spark log.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BadInputTest {
    /** A log4j line ("26/12/02 16:17:48 WARN BlockManager: ...") or a level word anywhere. */
    static final Pattern LOG = Pattern.compile("^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d |\\b(WARN|ERROR)\\b");

    @TempDir
    static Path dir;
    static Path model;

    static Path file(String name, String... lines) throws Exception {
        return Cli.file(dir, name, lines);
    }

    static String[] train(String... sets) {
        return Cli.train(dir.resolve("out-" + System.nanoTime()), sets);
    }

    static String[] spark(String master, String... sets) {
        List<String> a = new ArrayList<>(List.of(train(sets)));
        a.addAll(List.of("--set", "train.engine=spark", "--master", master));
        return a.toArray(new String[0]);
    }

    /** Exit 2; stdout empty; one "sparkprop:" line holding {@code expected}; no log line, no stack trace. */
    static void assertOneLine(Cli r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out(), "stdout");
        List<String> ours = r.err().lines().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(1, ours.size(), r.err());
        assertTrue(ours.get(0).contains(expected), "expected '" + expected + "' in " + ours.get(0));
        for (String l : r.err().lines().toList()) {
            assertFalse(LOG.matcher(l).find() || l.startsWith("\tat ") || l.contains("Exception"),
                    "Spark's log or a stack trace on stderr: " + l);
        }
    }

    @BeforeAll
    static void trainModel() {
        Path out = dir.resolve("run");
        Cli r = Cli.run(Cli.train(out));
        assertEquals(0, r.exit(), r.err());
        model = out.resolve("model");
    }

    static Stream<Arguments> cases() throws Exception {
        Path csv = file("table.csv", "a,b,kind", "1,2,x", "3,4,y");
        List<String> huge = new ArrayList<>(List.of("a,b,kind"));
        for (int i = 0; i < 20; i++) huge.add((i % 2 == 0 ? "1e308,0,x" : "-1e308,1,y"));
        Path overflow = file("huge.csv", huge.toArray(new String[0]));
        Path wide = file("wide.libsvm", "1 1:0.5", "0 2:0.5 999999999:1", "1 3:0.2");
        Path weighted = file("weighted.csv", "a,b,w,kind", "1,2,1,x", "3,4,-1,y", "5,6,1,x", "2,2,1,y", "4,1,1,x");
        return Stream.of(
            Arguments.of("Parquet path that does not exist", spark("local[2]", "data.format=parquet",
                    "data.train=" + dir.resolve("nope.parquet")),
                    "data.train: " + dir.resolve("nope.parquet") + ": no such file or directory"),
            Arguments.of("CSV given as Parquet", spark("local[2]", "data.format=parquet", "data.train=" + csv),
                    "data.train: file:" + csv + ": not a Parquet file"),
            Arguments.of("--master local[0]", spark("local[0]"), "--master local[0]: needs at least one thread"),
            Arguments.of("--master local[two]", spark("local[two]"), "--master local[two]: not a Spark master URL"),
            Arguments.of("--master yarn without YARN", spark("yarn"), "--master yarn: this classpath has no YARN"
                    + " support"),
            Arguments.of("LIBSVM index near 10^9, in process", train("data.train=" + wide),
                    wide + ":2: index 999999999 makes a dense table"),
            Arguments.of("LIBSVM index near 10^9, on Spark", spark("local[2]", "data.train=" + wide),
                    wide + ":2: index 999999999 makes a dense table"),
            Arguments.of("values near 1e308, in process", train("data.train=" + overflow),
                    overflow + ": column 1 \"a\": values up to 1.0E308 overflow float64 in data.scale = standard"),
            Arguments.of("values near 1e308, on Spark", spark("local[2]", "data.train=" + overflow),
                    overflow + ": column 1: values up to 1.0E308 overflow float64 in data.scale = standard"),
            Arguments.of("negative weight, in process", train("data.train=" + weighted, "data.weight-column=w"),
                    weighted + ":3: column 3 of 4 \"w\" (weight): -1 is negative"),
            Arguments.of("negative weight, on Spark", spark("local[2]", "data.train=" + weighted,
                    "data.weight-column=w"), weighted + ":3: column 3 of 4 \"w\" (weight): -1 is negative"),
            Arguments.of("no such weight column", train("data.train=" + csv, "data.weight-column=w"),
                    "data.weight-column: no column named \"w\""),
            Arguments.of("class weights that are not numbers", train("train.class-weights=[1, heavy]"),
                    "train.class-weights: expected \"balanced\" or a list of numbers"),
            Arguments.of("values near 1e308, minmax", train("data.train=" + overflow, "data.scale=minmax"),
                    overflow + ": column 1 \"a\": values up to 1.0E308 overflow float64 in data.scale = minmax"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineExitTwoNoLog(String what, String[] args, String expected) {
        assertOneLine(Cli.run(args), expected);
    }

    /**
     * Through the launcher, as a user runs it: log4j2's default would print the failed task's "Exception in task"
     * with its stack trace on stdout; here stdout stays empty and stderr holds our lines only.
     */
    @Test
    void theLauncherKeepsSparkLogsOffStdout() throws Exception {
        Path launcher = Path.of("..", "scripts", "sparkprop").toAbsolutePath().normalize();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
        Path csv = file("launched.csv", "a,b,kind", "1,2,x", "3,4,y");
        cmd.addAll(List.of(spark("local[2]", "data.format=parquet", "data.train=" + csv)));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("SPARKPROP_CLASSPATH", cp);
        pb.environment().put("SPARKPROP_JAVA_OPTS", "-Xmx512m");
        pb.redirectError(dir.resolve("launcher.err").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String err = Files.readString(dir.resolve("launcher.err"));
        assertOneLine(new Cli(p.exitValue(), out, err), "data.train: file:" + csv + ": not a Parquet file");
    }

    /** Nothing listens on a port just released: the run stops at once instead of retrying for a minute. */
    @Test
    void anUnreachableMasterIsRefusedInSeconds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Cli r = Cli.run(spark("spark://127.0.0.1:" + port));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertOneLine(r, "--master spark://127.0.0.1:" + port + ": no Spark master answers at 127.0.0.1:" + port);
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    @Test
    void exportIntoTheModelDirectoryIsRefused() throws Exception {
        byte[] before = Files.readAllBytes(model.resolve("model.json"));
        Cli r = Cli.run("export", "--model", model.toString(), "--output", model.resolve("model.json").toString());
        assertOneLine(r, "--output " + model.resolve("model.json") + ": inside the model directory");
        assertArrayEquals(before, Files.readAllBytes(model.resolve("model.json")), "model.json was overwritten");
        assertOneLine(Cli.run("export", "--model", model.toString(), "--output",
                model.resolve("sub").resolve("..").resolve("m.onnx").toString()), "inside the model directory");
        assertFalse(Files.exists(model.resolve("m.onnx")));
    }

    @Test
    void aResumeWithAnotherConfigNamesTheKeys() {
        String out = dir.resolve("resume-keys").toString();
        assertEquals(0, Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=1", "--out",
                out).exit());
        Cli r = Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=3", "--set",
                "model.hidden=[32]", "--set", "optimizer.learning-rate=0.02", "--resume", "--out", out);
        assertOneLine(r, "--resume: the config differs from the checkpointed run's in model.hidden ([16] → [32]),"
                + " optimizer.learning-rate (0.01 → 0.02); only train.epochs may change");
    }

    @Test
    void aCorruptNewestCheckpointIsReportedWhenResuming() throws Exception {
        Path out = dir.resolve("resume-corrupt");
        assertEquals(0, Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=3", "--out",
                out.toString()).exit());
        Path newest = out.resolve("checkpoints").resolve("checkpoint-000003.bin");
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 0x40;
        Files.write(newest, b);
        Cli r = Cli.run("train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=4", "--resume",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("--resume: passed over checkpoint checkpoint-000003.bin: checkpoint checksum"
                + " mismatch (truncated or corrupt); resuming from the previous one (after epoch 2)"), r.err());
        var summary = TrainCommandTest.summary(out);
        assertEquals(2, summary.getInt("resumed_from_epoch"));
        assertEquals(List.of("checkpoint-000003.bin: checkpoint checksum mismatch (truncated or corrupt)"),
                summary.getStringList("resume_skipped_checkpoints"));
    }
}
