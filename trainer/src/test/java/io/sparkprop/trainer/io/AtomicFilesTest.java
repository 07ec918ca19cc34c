// Tests for AtomicFiles: content is replaced whole and no temporary entries are left behind.
package io.sparkprop.trainer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeReplacesContentAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("sub/model.bin");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.writeString(f, "héllo");
        assertEquals("héllo", Files.readString(f));
        AtomicFiles.writeBytes(f, new byte[0]);
        assertEquals(0, Files.size(f));
        assertEquals(List.of("model.bin"), names(dir.resolve("sub")));
    }

    @Test
    void failedWriteLeavesNoTempFile() throws Exception {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be renamed over
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertEquals(List.of("occupied"), names(dir));
    }

    @Test
    void replaceDirectoryPublishesNewAndSwapsExisting() throws Exception {
        Path target = dir.resolve("checkpoints");
        Path tmp = AtomicFiles.tempSibling(target);
        AtomicFiles.writeString(tmp.resolve("a.txt"), "one");
        AtomicFiles.replaceDirectory(tmp, target);
        assertEquals("one", Files.readString(target.resolve("a.txt")));

        Path tmp2 = AtomicFiles.tempSibling(target);
        AtomicFiles.writeString(tmp2.resolve("b.txt"), "two");
        Files.createDirectories(tmp2.resolve("nested"));
        AtomicFiles.writeString(tmp2.resolve("nested/c.txt"), "three");
        AtomicFiles.replaceDirectory(tmp2, target);
        assertFalse(Files.exists(target.resolve("a.txt")));
        assertEquals("two", Files.readString(target.resolve("b.txt")));
        assertEquals("three", Files.readString(target.resolve("nested/c.txt")));
        assertEquals(List.of("checkpoints"), names(dir));
    }

    @Test
    void deleteRecursivelyToleratesMissing() throws Exception {
        Path d = dir.resolve("x/y");
        Files.createDirectories(d);
        AtomicFiles.writeString(d.resolve("f"), "z");
        AtomicFiles.deleteRecursively(dir.resolve("x"));
        AtomicFiles.deleteRecursively(dir.resolve("x"));
        assertTrue(names(dir).isEmpty());
    }
}
