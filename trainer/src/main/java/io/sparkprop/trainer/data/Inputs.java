// Opening data files: a missing file becomes a one-line UserError and gzip is unwrapped by its magic bytes.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Shared by every file reader so all of them report I/O trouble the same way. */
final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {
    }

    /** The decompressed bytes of {@code file}; {@code name} is how the user spelled it, for messages. */
    static InputStream open(Path file, String name) {
        if (Files.isDirectory(file)) {
            throw new UserError(name + ": is a directory, expected a data file");
        }
        if (!Files.exists(file)) {
            throw new UserError(name + ": no such file");
        }
        try {
            return gunzipIfCompressed(new BufferedInputStream(Files.newInputStream(file), BUFFER));
        } catch (IOException e) {
            throw ioError(name, e);
        }
    }

    static BufferedReader reader(Path file, String name) {
        return new BufferedReader(new InputStreamReader(open(file, name), StandardCharsets.UTF_8), BUFFER);
    }

    /** Looks at the first two bytes, not the file name: "data.csv" may be compressed and "x.gz" may not. */
    static InputStream gunzipIfCompressed(InputStream in) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
        }
        return buffered;
    }

    /** One line for an I/O failure; a short read (plain or gzip) is reported as truncation. */
    static UserError ioError(String name, IOException e) {
        if (e instanceof EOFException) {
            String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            return new UserError(name + ": truncated file: the data ends early" + detail, e);
        }
        if (e instanceof ZipException) {
            return new UserError(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        if (e instanceof NoSuchFileException) {
            return new UserError(name + ": no such file", e);
        }
        return new UserError(name + ": cannot read (" + e + ")", e);
    }
}
