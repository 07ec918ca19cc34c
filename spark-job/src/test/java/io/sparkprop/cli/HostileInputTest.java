// The hostile-input suite: every user mistake is exit code 2, one line naming the file:line or key, no output left.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostileInputTest {
    @TempDir
    static Path dir;
    static Path model;

    static Path file(String name, String... lines) throws Exception {
        return Cli.file(dir, name, lines);
    }

    static Path bytes(String name, byte[] b) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    /** An IDX file: magic, dimensions, then the payload. */
    static byte[] idx(int magic, int[] dims, int payload) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) out.writeInt(d);
        out.write(new byte[payload]);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** A small model trained on a 2-feature CSV with a header, for the evaluate/predict cases. */
    @BeforeAll
    static void trainModel() throws Exception {
        List<String> rows = new ArrayList<>(List.of("a,b,kind"));
        for (int i = 0; i < 40; i++) rows.add(i * 0.1 + "," + (4 - i * 0.1) + "," + (i % 2 == 0 ? "x" : "y"));
        Path csv = dir.resolve("good.csv");
        Files.write(csv, rows);
        Path out = dir.resolve("run");
        Cli r = Cli.run(Cli.train(out, "data.train=" + csv));
        assertEquals(0, r.exit(), r.err());
        model = out.resolve("model");
    }

    static String[] train(Path data, String... sets) {
        List<String> a = new ArrayList<>(List.of(sets));
        if (data != null) a.add(0, "data.train=" + data);
        return Cli.train(dir.resolve("out-" + System.nanoTime()), a.toArray(new String[0]));
    }

    static String[] withMaster(String master, String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--master", master));
        return a.toArray(new String[0]);
    }

    static Stream<Arguments> cases() throws Exception {
        Path header = file("header.csv", "a,c,kind", "1,2,x", "3,4,y");
        Path unseen = file("unseen.csv", "a,b,kind", "1,2,x", "3,4,zebra");
        Path threeFeatures = file("three.csv", "1,2,3,x", "4,5,6,y");
        Path tampered = dir.resolve("tampered");
        return Stream.of(
            // data files
            Arguments.of("missing data file", train(dir.resolve("nope.csv")), "nope.csv: no such file"),
            Arguments.of("empty file", train(file("empty.csv")), "empty.csv: no data rows"),
            Arguments.of("non-numeric token", train(file("word.csv", "1,2,x", "1,abc,y")), "word.csv:2:"),
            Arguments.of("NaN feature", train(file("nan.csv", "1,2,x", "NaN,2,y")), "nan.csv:2:"),
            Arguments.of("infinite feature", train(file("inf.csv", "1,2,x", "1,Infinity,y")), "inf.csv:2:"),
            Arguments.of("wrong column count", train(file("cols.csv", "1,2,x", "1,2,3,y")), "cols.csv:2: expected 3"),
            Arguments.of("libsvm index 0", train(file("zero.libsvm", "1 0:1.5")), "zero.libsvm:1:"),
            Arguments.of("libsvm out of order", train(file("order.libsvm", "1 1:1", "2 3:1 2:1")), "order.libsvm:2:"),
            Arguments.of("libsvm beyond num-features",
                    train(file("wide.libsvm", "1 1:1", "2 9:1"), "data.num-features=4"), "wide.libsvm:2:"),
            Arguments.of("libsvm malformed pair", train(file("pair.libsvm", "1 1:1", "2 2-1")), "pair.libsvm:2:"),
            Arguments.of("regression label not a number",
                    train(file("reg.csv", "1,2,3.5", "1,2,tall"), "model.loss=mse"), "reg.csv:2:"),
            Arguments.of("only one class", train(file("one.csv", "1,2,x", "3,4,x")), "only one class"),
            Arguments.of("truncated gzip", train(bytes("cut.csv.gz",
                    Arrays.copyOf(gzip("1,2,x\n3,4,y\n".repeat(50).getBytes()), 30))), "cut.csv.gz"),
            Arguments.of("IDX wrong magic", idxWrongMagic(), "magic"),
            Arguments.of("IDX counts differ", idxCountsDiffer(), "bad2-images-idx3-ubyte"),
            // config
            Arguments.of("unknown key", train(null, "optimzer.name=sgd"), "did you mean 'optimizer.name'"),
            Arguments.of("wrong type", train(null, "train.epochs=ten"), "train.epochs"),
            Arguments.of("negative learning rate", train(null, "optimizer.learning-rate=-0.1"),
                    "optimizer.learning-rate"),
            Arguments.of("zero learning rate", train(null, "optimizer.learning-rate=0"), "optimizer.learning-rate"),
            Arguments.of("zero batch size", train(null, "train.batch-size=0"), "train.batch-size"),
            Arguments.of("batch larger than the data", train(null, "train.batch-size=5000"),
                    "train.batch-size: 5000 is larger"),
            Arguments.of("hidden layer of size 0", train(null, "model.hidden=[8,0]"), "model.hidden"),
            Arguments.of("unknown optimizer", train(null, "optimizer.name=adamx"), "optimizer.name"),
            Arguments.of("unknown activation", train(null, "model.activation=relux"), "model.activation"),
            Arguments.of("unknown loss", train(null, "model.loss=hinge"), "model.loss"),
            Arguments.of("loss that does not fit the labels",
                    train(file("words.csv", "1,2,small", "3,4,big"), "model.loss=mse"), "words.csv:1:"),
            Arguments.of("warmup longer than training", train(null, "schedule.warmup-epochs=10"),
                    "optimizer/schedule:"),
            Arguments.of("early stopping without a validation split",
                    train(null, "train.early-stopping-patience=3", "data.validation-fraction=0"),
                    "train.early-stopping-patience"),
            Arguments.of("Hadoop checkpoint.dir with the local engine", train(null, "checkpoint.dir=\"hdfs://nn/ck\""),
                    "checkpoint.dir: hdfs://nn/ck"),
            Arguments.of("validation fraction 1", train(null, "data.validation-fraction=1.0"),
                    "data.validation-fraction"),
            Arguments.of("missing config file", new String[] {"train", "--config", dir.resolve("no.conf").toString()},
                    "no.conf: no such config file"),
            Arguments.of("HOCON syntax error", new String[] {"train", "--config",
                file("broken.conf", "train {", "  epochs = 3", "  batch-size = [", "}").toString()}, "broken.conf:"),
            // model files
            Arguments.of("missing model directory", new String[] {"evaluate", "--model",
                dir.resolve("nomodel").toString(), "--data", "builtin:wheat-seeds"}, "no such model directory"),
            Arguments.of("tampered weights", tamperedModel(tampered), "checksum"),
            Arguments.of("feature count differs (evaluate)", new String[] {"evaluate", "--model", model.toString(),
                "--data", threeFeatures.toString()}, "three.csv: 3 features per row, expected 2"),
            Arguments.of("feature count differs (predict)", new String[] {"predict", "--model", model.toString(),
                "--data", threeFeatures.toString(), "--output", dir.resolve("p.csv").toString()}, "three.csv: 3 features per row, expected 2"),
            Arguments.of("CSV header differs", new String[] {"evaluate", "--model", model.toString(), "--data",
                header.toString()}, "header.csv:1: header does not match"),
            Arguments.of("label unseen at evaluation", new String[] {"evaluate", "--model", model.toString(),
                "--data", unseen.toString()}, "unseen.csv:3:"),
            Arguments.of("barrier protocol with more partitions than task slots", withMaster("local[2]",
                    train(null, "train.engine=spark", "spark.protocol=barrier", "spark.partitions=3")),
                    "spark.protocol = barrier runs a task per partition at once: 3 partitions but local[2] has 2"),
            Arguments.of("unknown spark.protocol", train(null, "spark.protocol=allreduce"), "spark.protocol"),
            // sizes and paths
            Arguments.of("network beyond one parameter array", train(null, "model.hidden=[200000,200000]"),
                    "model.hidden: the network [7, 200000, 200000, 3] has 40,002,400,003 parameters"),
            Arguments.of("--out names a file", trainInto(file("a-file", "x")), "--out " + dir.resolve("a-file")
                    + ": is a file, expected a directory"),
            Arguments.of("--out below a file", trainInto(dir.resolve("a-file").resolve("run")),
                    dir.resolve("a-file") + " is a file, not a directory"),
            Arguments.of("sweep --out names a file", new String[] {"sweep", "--config", Cli.conf("sweep-seeds.conf"),
                "--out", dir.resolve("a-file").toString()}, "--out " + dir.resolve("a-file") + ": is a file"),
            Arguments.of("predict --output below a file", new String[] {"predict", "--model", model.toString(),
                "--data", "builtin:wheat-seeds", "--output", dir.resolve("a-file").resolve("p.csv").toString()},
                    "--output " + dir.resolve("a-file").resolve("p.csv") + ": " + dir.resolve("a-file") + " is a file"),
            Arguments.of("more folds than rows", train(null, "eval.folds=1000"), "k = 1000 needs at least 1000 rows"),
            Arguments.of("gradcheck tolerance not positive", new String[] {"gradcheck", "--tolerance", "-1"},
                    "--tolerance: must be > 0"),
            Arguments.of("unknown Spark master URL", withMaster("bogus://x", train(null, "train.engine=spark")),
                    "--master bogus://x: not a Spark master URL"),
            Arguments.of("more Spark partitions than training rows", withMaster("local[2]",
                    train(null, "train.engine=spark", "spark.partitions=100000")),
                    "spark.partitions: 100000 is more than the 168 training rows"),
            Arguments.of("CSV quote left open", train(file("quote.csv", "1,2,x", "3,\"4,y", "5,6,x")),
                    "quote.csv:2: unclosed double quote"),
            Arguments.of("CSV text after a closing quote", train(file("after.csv", "1,2,x", "3,\"4\"5,y")),
                    "after.csv:2: malformed quoted field"),
            Arguments.of("Spark input directory holding a directory", withMaster("local[2]",
                    train(nestedDirectory(), "train.engine=spark", "data.format=csv")), "nested: cannot read"),
            // runtime
            Arguments.of("divergence", train(null, "optimizer.name=sgd", "optimizer.learning-rate=1e300"),
                    "training diverged at epoch 1 step"),
            Arguments.of("divergence on Spark, barrier protocol", withMaster("local[2]", train(null,
                    "train.engine=spark", "spark.protocol=barrier", "optimizer.name=sgd",
                    "optimizer.learning-rate=1e300")), "training diverged at epoch 1 step"));
    }

    /** train with --out OUT exactly (the other cases get a fresh out-* directory). */
    static String[] trainInto(Path out) {
        return new String[] {"train", "--config", Cli.conf("default.conf"), "--set", "train.epochs=2", "--out",
            out.toString()};
    }

    /** A directory of CSV part files that also holds a directory, which Hadoop's text input refuses. */
    static Path nestedDirectory() throws Exception {
        Path d = Files.createDirectories(dir.resolve("nested"));
        Files.write(d.resolve("part-0.csv"), List.of("1,2,x", "3,4,y"));
        Files.createDirectories(d.resolve("sub"));
        return d;
    }

    static String[] idxWrongMagic() throws Exception {
        Path images = bytes("bad-images-idx3-ubyte", idx(0x0803 + 1, new int[] {2, 2, 2}, 8));
        bytes("bad-labels-idx1-ubyte", idx(0x0801, new int[] {2}, 2));
        return train(images, "data.format=idx");
    }

    static String[] idxCountsDiffer() throws Exception {
        Path images = bytes("bad2-images-idx3-ubyte", idx(0x0803, new int[] {3, 2, 2}, 12));
        bytes("bad2-labels-idx1-ubyte", idx(0x0801, new int[] {2}, 2));
        return train(images, "data.format=idx");
    }

    static String[] tamperedModel(Path copy) throws Exception {
        Files.createDirectories(copy);
        Files.copy(model.resolve("model.json"), copy.resolve("model.json"));
        byte[] w = Files.readAllBytes(model.resolve("weights.bin"));
        w[3] ^= 0x10;
        Files.write(copy.resolve("weights.bin"), w);
        return new String[] {"evaluate", "--model", copy.toString(), "--data", "builtin:wheat-seeds"};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineExitTwoNoOutput(String what, String[] args, String expected) throws Exception {
        List<String> outs = outDirs();
        Cli r = Cli.run(args);
        assertEquals(2, r.exit(), what + ": " + r.err());
        List<String> lines = r.err().strip().lines().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(1, lines.size(), what + ": " + r.err());
        assertTrue(lines.get(0).contains(expected), what + ": expected '" + expected + "' in " + lines.get(0));
        assertFalse(r.err().contains("\tat "), what + ": a stack trace was printed");
        assertFalse(r.out().lines().anyMatch(l -> BadInputTest.LOG.matcher(l).find() || l.startsWith("\tat ")),
                what + ": a log line or stack trace on stdout: " + r.out());
        if (!what.startsWith("divergence")) {
            assertEquals(outs, outDirs(), what + ": a failed run left an output directory");
        }
    }

    @Test
    void outOfMemoryAndARefusedPathAreUserErrors() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(2, Main.report(new RuntimeException(new OutOfMemoryError("Java heap space")), false, err));
        assertEquals(2, Main.report(new AccessDeniedException("/data/locked.csv"), false, err));
        assertEquals(1, Main.report(new IllegalStateException("a bug"), false, err));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("sparkprop: out of memory (Java heap space; max heap "), lines.get(0));
        assertTrue(lines.get(0).contains("-Xmx16g") && lines.get(0).contains("model.hidden"), lines.get(0));
        assertEquals("sparkprop: /data/locked.csv: permission denied", lines.get(1));
        assertTrue(lines.get(2).startsWith("sparkprop: internal error: java.lang.IllegalStateException"), lines.get(2));
    }

    static List<String> outDirs() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out-")).sorted().toList();
        }
    }
}
