// Tests for DataLoader: format choice, file: URIs, skip accounting and the checks made after reading.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String failure(DataSpec spec) {
        return assertThrows(UserError.class, () -> DataLoader.load(spec)).getMessage();
    }

    @Test
    void formatByNameAndBySniffing() throws IOException {
        assertEquals("csv", DataLoader.load(DataSpec.of(write("a.csv", "1,2,a\n3,4,b\n").toString())).format());
        assertEquals("libsvm", DataLoader.load(DataSpec.of(write("a.svm", "1 1:2\n0 2:1\n").toString())).format());
        assertEquals("libsvm", DataLoader.load(DataSpec.of(write("a.txt", "\n1 1:2\n0 2:1\n").toString())).format());
        assertEquals("csv", DataLoader.load(DataSpec.of(write("b.txt", "1,2,a\n3,4,b\n").toString())).format());
        assertEquals("csv", DataLoader.load(DataSpec.of(write("c.data", "1;2;a\n3;4;b\n").toString())).format());
        Path csvGz = dir.resolve("d.csv.gz");
        Files.write(csvGz, IdxReaderTest.gzip("1,2,a\n3,4,b\n".getBytes(StandardCharsets.UTF_8)));
        Loaded gz = DataLoader.load(DataSpec.of(csvGz.toString()));
        assertEquals("csv", gz.format());
        assertEquals(2, gz.data().rows);
    }

    @Test
    void explicitFormatOverridesTheName() throws IOException {
        Path f = write("odd.csv", "1 1:2\n0 2:1\n");
        assertEquals(2, DataLoader.load(DataSpec.of(f.toString()).withFormat(DataFormat.LIBSVM)).data().features);
        assertTrue(failure(DataSpec.of(f.toString()).withFormat(DataFormat.PARQUET))
                .contains("unknown format \"parquet\""));
    }

    @Test
    void idxByNameBySniffAndWithLabelsPath() throws IOException {
        Path img = Files.write(dir.resolve("x-images-idx3-ubyte.gz"),
                IdxReaderTest.gzip(IdxReaderTest.images(0x803, 3, 2, 2)));
        Files.write(dir.resolve("x-labels-idx1-ubyte.gz"), IdxReaderTest.labels(0x801, 1, 0, 1));
        Loaded byName = DataLoader.load(DataSpec.of(img.toString()));
        assertEquals("idx", byName.format());
        assertEquals(4, byName.data().features);
        Path blob = Files.write(dir.resolve("pixels.bin"), IdxReaderTest.images(0x803, 3, 2, 2));
        Path tags = Files.write(dir.resolve("tags.bin"), IdxReaderTest.labels(0x801, 1, 0, 1));
        Loaded sniffed = DataLoader.load(DataSpec.of(blob.toString()).withLabelsPath(tags.toString()));
        assertEquals("idx", sniffed.format());
        assertEquals(List.of("0", "1"), sniffed.data().classNames);
        Loaded regression = DataLoader.load(DataSpec.of(img.toString()).withClassification(false));
        assertNull(regression.data().classNames);
        assertArrayEquals(new double[] {1, 0, 1}, regression.data().y);
    }

    @Test
    void fileUriPrefix() throws IOException {
        Path f = write("u.csv", "1,2,a\n3,4,b\n");
        assertEquals(2, DataLoader.load(DataSpec.of(f.toUri().toString())).data().rows);
        assertEquals(2, DataLoader.load(DataSpec.of("file:" + f)).data().rows);
    }

    @Test
    void skipModeReportsCountAndFirstLines() throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 30; i++) {
            text.append(i % 2 == 0 ? i + ",1," + (i % 4 == 0 ? "x" : "z") + "\n" : i + ",oops,y\n");
        }
        Path f = write("s.csv", text.toString());
        Loaded loaded = DataLoader.load(DataSpec.of(f.toString()).withOnBadRow(OnBadRow.SKIP));
        assertEquals(15, loaded.skippedRows());
        assertEquals(List.of(3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L, 21L), loaded.skippedLines());
        assertEquals(15, loaded.data().rows);
        assertEquals(List.of("a", "b", "label"), loaded.header());
        String msg = failure(DataSpec.of(f.toString()));
        assertTrue(msg.contains("s.csv:3"), msg);
    }

    @Test
    void oneClassIsAnErrorForTrainingOnly() throws IOException {
        Path f = write("one.csv", "1,2,cat\n3,4,cat\n");
        String msg = failure(DataSpec.of(f.toString()));
        assertEquals(f + ": only one class (label cat) found; a classifier needs at least two", msg);
        Loaded eval = DataLoader.load(DataSpec.of(f.toString()).withKnownClasses(List.of("cat", "dog")));
        assertEquals(2, eval.data().numClasses());
    }

    @Test
    void numFeaturesMustMatch() throws IOException {
        Path f = write("n.csv", "1,2,a\n3,4,b\n");
        String msg = failure(DataSpec.of(f.toString()).withNumFeatures(3));
        assertEquals(f + ": 2 features per row, expected 3", msg);
        Path svm = write("n.libsvm", "1 1:1\n0 2:1\n");
        assertEquals(6, DataLoader.load(DataSpec.of(svm.toString()).withNumFeatures(6)).data().features);
    }

    @Test
    void missingAndEmpty() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertEquals(missing + ": no such file", failure(DataSpec.of(missing.toString())));
        Path unknown = dir.resolve("nope");
        assertEquals(unknown + ": no such file", failure(DataSpec.of(unknown.toString())));
        Path empty = write("empty.txt", "");
        assertEquals(empty + ": no data rows", failure(DataSpec.of(empty.toString())));
        assertEquals(dir + ": is a directory, expected a data file", failure(DataSpec.of(dir.toString())));
    }

    @Test
    void builtinsThroughTheLoader() {
        Loaded wheat = DataLoader.load(DataSpec.of("builtin:wheat-seeds"));
        assertEquals("builtin", wheat.format());
        assertEquals("210 rows × 7 features, 3 classes", wheat.describe());
        Loaded a = DataLoader.load(DataSpec.of("builtin:spirals?points=10").withSeed(3));
        Loaded b = DataLoader.load(DataSpec.of("builtin:spirals?points=10").withSeed(3));
        assertArrayEquals(a.data().x, b.data().x);
        assertEquals(30, a.data().rows);
    }
}
