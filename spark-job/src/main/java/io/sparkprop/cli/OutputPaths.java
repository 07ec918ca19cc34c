// Checks an output path the user typed before any work starts: a file where a directory is expected is a user error.
package io.sparkprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sparkprop.trainer.UserError;

/** One line naming the option and the path, instead of a FileAlreadyExistsException once training has run. */
final class OutputPaths {
    private OutputPaths() {
    }

    /** {@code dir} is an existing directory or can be created: neither it nor an ancestor is a file. */
    static void checkDirectory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(option + " " + dir + ": is a file, expected a directory");
        }
        checkParents(option, dir);
    }

    /** {@code file} can be written: its ancestors are directories or can be created. */
    static void checkFileParent(String option, Path file) {
        checkParents(option, file);
    }

    private static void checkParents(String option, Path p) {
        for (Path a = p.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                if (!Files.isDirectory(a)) {
                    throw new UserError(option + " " + p + ": " + a + " is a file, not a directory");
                }
                return;
            }
        }
    }
}
