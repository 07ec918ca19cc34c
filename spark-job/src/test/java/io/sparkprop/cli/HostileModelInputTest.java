// Hostile input for output units, target lists and model.init files: exit 2, one line naming the key or file.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostileModelInputTest {
    @TempDir
    static Path dir;

    static String[] train(String... sets) {
        List<String> a = new ArrayList<>(List.of("train", "--config", Cli.conf("default.conf"), "--set",
                "train.epochs=1", "--out", dir.resolve("out").toString()));
        for (String s : sets) a.addAll(List.of("--set", s));
        return a.toArray(new String[0]);
    }

    static Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    static Stream<Arguments> cases() throws Exception {
        Path twoTargets = file("two.csv", "a,b,t1,t2\n1,2,3,4\n5,6,7,8\n");
        Path libsvm = file("one.libsvm", "1 1:0.5\n0 2:0.5\n");
        Path notJson = file("weights.json", "{\"layers\": [1, 2");
        return Stream.of(
            Arguments.of("cross-entropy on the wrong unit", train("model.output=sigmoid"),
                    "model.output: softmax-cross-entropy is the log-likelihood of softmax outputs"),
            Arguments.of("unknown output", train("model.output=relu"), "model.output: unknown 'relu'"),
            Arguments.of("target list under softmax", train("data.label-column=[t1, t2]"),
                    "data.label-column: several targets need"),
            Arguments.of("target list on LIBSVM", train("data.train=\"" + libsvm + "\"", "model.loss=mse",
                    "data.label-column=[0, 1]"), "data.label-column: several target columns need CSV input"),
            Arguments.of("unknown target column", train("data.train=\"" + twoTargets + "\"", "model.loss=mse",
                    "data.label-column=[t1, t9]"), "two.csv:1: no column named \"t9\""),
            Arguments.of("missing init file", train("model.init=\"file:" + dir.resolve("nope.json") + "\""),
                    "model.init: " + dir.resolve("nope.json") + ": no such model directory or weights file"),
            Arguments.of("init file not JSON", train("model.init=\"file:" + notJson + "\""),
                    "model.init: " + notJson + ": not valid JSON"),
            Arguments.of("init file of the wrong shape", train("model.init=\"file:"
                    + file("small.json", "{\"layers\": [{\"W\": [[1]], \"b\": [0]}]}") + "\""),
                    "1 layers, the network [7, 16, 3] has 2 dense layers"),
            Arguments.of("unknown init", train("model.init=glorot"), "model.init: unknown 'glorot'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineExitTwoNoOutput(String what, String[] args, String expected) {
        Cli r = Cli.run(args);
        assertEquals(2, r.exit(), what + ": " + r.err());
        List<String> lines = r.err().strip().lines().filter(l -> l.startsWith("sparkprop:")).toList();
        assertEquals(1, lines.size(), what + ": " + r.err());
        assertTrue(lines.get(0).contains(expected), what + ": expected '" + expected + "' in " + lines.get(0));
        assertFalse(r.err().contains("\tat "), what + ": a stack trace was printed");
        assertFalse(Files.exists(dir.resolve("out")), what + ": a failed run left an output directory");
    }
}
