// Test support for other packages: the in-process CLI of Cli, with a public face.
package io.sparkprop.cli;

public final class CliRunner {
    private CliRunner() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static Result run(String... args) {
        Cli c = Cli.run(args);
        return new Result(c.exit(), c.out(), c.err());
    }
}
