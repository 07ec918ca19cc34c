// Early checks of input paths that live on this machine, made before Spark starts.
package io.sparkprop.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sparkprop.trainer.UserError;

/** Paths with another scheme (hdfs:, s3a:, ...) are left to the cluster's file system. */
final class LocalInputs {
    private LocalInputs() {
    }

    static void requireReadable(String key, String path) {
        Path local;
        if (path.startsWith("file:")) {
            local = Path.of(URI.create(path));
        } else if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return;
        } else {
            local = Path.of(path);
        }
        if (!Files.exists(local)) {
            throw new UserError(path + ": no such file (" + key + ")");
        }
        if (!Files.isReadable(local)) {
            throw new UserError(path + ": not readable (" + key + ")");
        }
    }
}
