// Test support: runs the CLI in-process and captures its exit code, stdout and stderr; the input tests' arguments.
package io.sparkprop.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

record Cli(int exit, String out, String err) {
    /** The repository's conf/ folder (tests run in spark-job/). */
    static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

    static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        int code;
        try {
            code = Main.run(args, o, e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String conf(String name) {
        return CONF.resolve(name).toString();
    }

    /** The arguments of a two-epoch train of conf/default.conf into {@code out}, each of {@code sets} a --set. */
    static String[] train(Path out, String... sets) {
        List<String> a = new ArrayList<>(List.of("train", "--config", conf("default.conf"), "--set",
                "train.epochs=2", "--out", out.toString()));
        for (String s : sets) a.addAll(List.of("--set", s));
        return a.toArray(new String[0]);
    }

    /** {@code dir/name} holding {@code lines}. */
    static Path file(Path dir, String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }
}
