// Crash-safe output: files and directories are built under a temporary name beside the target, then renamed,
// so a reader (or a resumed run) sees either the old content or the complete new one, never a torn write.
package io.sparkprop.trainer.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * I/O failures surface as {@link UncheckedIOException} naming the path. Temporary names start with '.' and end
 * in ".tmp" so that listings and globs of an output directory skip them.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Replaces {@code target} with exactly {@code bytes}; creates the parent directories as needed. */
    public static void writeBytes(Path target, byte[] bytes) {
        Path dir = parent(target);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Same directory as the target: a rename is only atomic within one file system.
            tmp = tempName(target, "");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                // Flush before the rename, else a crash can leave the new name pointing at an empty file.
                ch.force(true);
            }
            move(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** {@link #writeBytes} of the UTF-8 encoding of {@code text}. */
    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A fresh, empty directory beside {@code target} (same file system) in which to build what
     * {@link #replaceDirectory} will publish.
     */
    public static Path tempSibling(Path target) {
        Path dir = parent(target);
        try {
            Files.createDirectories(dir);
            return Files.createDirectory(tempName(target, ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory beside " + target, e);
        }
    }

    /**
     * Publishes {@code tmpDir} (built beside the target, e.g. by {@link #tempSibling}) as {@code target}. A new
     * target appears in one rename. An existing one is first renamed aside and deleted after the swap: POSIX
     * cannot rename a directory over a non-empty one, so there is a short window with no target, but never a
     * half-written one; if the swap fails the old directory is put back.
     */
    public static void replaceDirectory(Path tmpDir, Path target) {
        if (!Files.isDirectory(tmpDir)) {
            throw new UncheckedIOException(new NoSuchFileException(tmpDir.toString(), null, "not a directory"));
        }
        try {
            if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(parent(target));
                move(tmpDir, target);
                return;
            }
            Path old = tempName(target, "old.");
            move(target, old);
            try {
                move(tmpDir, target);
            } catch (IOException e) {
                move(old, target);
                throw e;
            }
            deleteRecursively(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + tmpDir + " as " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or a directory tree; a missing path is not an error. */
    public static void deleteRecursively(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems (certain network/overlay mounts) cannot; a plain replace is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // Not Files.createTemp*: those make owner-only (0600/0700) entries, and the rename would publish them so.
    // A random name beside the target; CREATE_NEW / createDirectory fail on the (unlikely) collision.
    private static Path tempName(Path target, String infix) {
        long r = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        return parent(target).resolve("." + target.getFileName() + "." + infix + Long.toString(r, 36) + ".tmp");
    }

    private static Path parent(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("no parent directory: " + target);
        }
        return parent;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Best effort: the write already failed and that is the error worth reporting.
            }
        }
    }
}
