// Tests for IdxReader on small generated IDX files, plus an optional read of the installed Fashion-MNIST.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkprop.trainer.UserError;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX images file of n images of h×w whose pixel p of image i is (i * 10 + p) mod 256. */
    static byte[] images(int magic, int n, int h, int w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(n);
        out.writeInt(h);
        out.writeInt(w);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                out.writeByte((i * 10 + p) % 256);
            }
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int magic, int... label) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(label.length);
        for (int l : label) {
            out.writeByte(l);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }

    private static String failure(Runnable r) {
        return assertThrows(UserError.class, r::run).getMessage();
    }

    private static void checkSmall(Dataset d) {
        assertEquals(3, d.rows);
        assertEquals(6, d.features);
        assertArrayEquals(new double[] {10, 11, 12, 13, 14, 15}, Arrays.copyOfRange(d.x, 6, 12));
        assertArrayEquals(new double[] {2, 0, 4}, d.y);
        assertEquals(List.of("0", "1", "2", "3", "4"), d.classNames);
    }

    @Test
    void readsPlainFilesAndFindsLabelsByName() throws IOException {
        Path img = write("train-images-idx3-ubyte", images(0x803, 3, 2, 3));
        write("train-labels-idx1-ubyte", labels(0x801, 2, 0, 4));
        checkSmall(IdxReader.read(img, null, null));
    }

    @Test
    void readsGzipByMagicNotByName() throws IOException {
        // Deliberately misleading names: gzip without ".gz" for images, plain with ".gz" for labels.
        Path img = write("a-images-idx3", gzip(images(0x803, 3, 2, 3)));
        Path lab = write("a-labels.gz", labels(0x801, 2, 0, 4));
        checkSmall(IdxReader.read(img, lab, null));
        Path gz = write("b-images-idx3-ubyte.gz", gzip(images(0x803, 3, 2, 3)));
        write("b-labels-idx1-ubyte.gz", gzip(labels(0x801, 2, 0, 4)));
        checkSmall(IdxReader.read(gz, null, null));
    }

    @Test
    void pixelsAreUnsigned() throws IOException {
        Path img = write("p-images-idx3", images(0x803, 2, 16, 16));
        Path lab = write("p-labels", labels(0x801, 0, 1));
        Dataset d = IdxReader.read(img, lab, null);
        assertEquals(255.0, d.x[255]);
        assertEquals(9.0, d.x[256 + 255]);
    }

    @Test
    void wrongMagic() throws IOException {
        Path img = write("w-images-idx3", images(0x802, 3, 2, 3));
        Path lab = write("w-labels", labels(0x801, 2, 0, 4));
        String msg = failure(() -> IdxReader.read(img, lab, null));
        assertTrue(msg.startsWith(img + ": wrong magic number 0x00000802"), msg);
        Path badLab = write("w-labels2", labels(0x803, 2, 0, 4));
        assertTrue(failure(() -> IdxReader.read(img, badLab, null)).startsWith(badLab + ": "));
        String swapped = failure(() -> IdxReader.read(lab, img, null));
        assertTrue(swapped.contains("wrong magic") || swapped.contains("labels file"), swapped);
    }

    @Test
    void countMismatch() throws IOException {
        Path img = write("c-images-idx3", images(0x803, 3, 2, 3));
        Path lab = write("c-labels", labels(0x801, 2, 0));
        String msg = failure(() -> IdxReader.read(img, lab, null));
        assertTrue(msg.contains("3 images") && msg.contains("2 labels"), msg);
    }

    @Test
    void truncatedPlainAndGzip() throws IOException {
        byte[] full = images(0x803, 3, 2, 3);
        Path lab = write("t-labels", labels(0x801, 2, 0, 4));
        Path plain = write("t-images-idx3", Arrays.copyOf(full, full.length - 4));
        String msg = failure(() -> IdxReader.read(plain, lab, null));
        assertTrue(msg.startsWith(plain + ": truncated"), msg);

        byte[] big = images(0x803, 200, 28, 28);
        int[] many = new int[200];
        Path bigLab = write("big-labels", labels(0x801, many));
        byte[] gz = gzip(big);
        Path cut = write("cut-images-idx3.gz", Arrays.copyOf(gz, gz.length / 2));
        String gzMsg = failure(() -> IdxReader.read(cut, bigLab, null));
        assertTrue(gzMsg.startsWith(cut + ": truncated"), gzMsg);

        Path header = write("h-images-idx3", Arrays.copyOf(full, 6));
        assertTrue(failure(() -> IdxReader.read(header, lab, null)).startsWith(header + ": truncated"));
    }

    @Test
    void missingFiles() throws IOException {
        Path img = write("m-images-idx3-ubyte", images(0x803, 3, 2, 3));
        String msg = failure(() -> IdxReader.read(img, null, null));
        assertEquals(dir.resolve("m-labels-idx1-ubyte") + ": no such file", msg);
        Path none = dir.resolve("none-images-idx3-ubyte");
        write("none-labels-idx1-ubyte", labels(0x801, 1));
        assertEquals(none + ": no such file", failure(() -> IdxReader.read(none, null, null)));
        String noPattern = failure(() -> IdxReader.read(dir.resolve("digits.bin"), null, null));
        assertTrue(noPattern.contains("images-idx3"), noPattern);
    }

    @Test
    void knownClassesRemapDigits() throws IOException {
        Path img = write("k-images-idx3", images(0x803, 3, 2, 3));
        Path lab = write("k-labels", labels(0x801, 2, 0, 4));
        List<String> ten = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Dataset d = IdxReader.read(img, lab, ten);
        assertEquals(ten, d.classNames);
        assertArrayEquals(new double[] {2, 0, 4}, d.y);
        String msg = failure(() -> IdxReader.read(img, lab, List.of("0", "1", "2")));
        assertTrue(msg.contains("\"4\""), msg);
    }

    /** Reads the real Fashion-MNIST test set when it is installed; skipped otherwise. */
    @Test
    void fashionMnistIfInstalled() {
        Path root = Path.of("/usr/share/datasets/fashion-mnist");
        Path images = root.resolve("t10k-images-idx3-ubyte.gz");
        assumeTrue(Files.isReadable(images) && Files.isReadable(root.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST is not installed");
        Dataset d = DataLoader.load(DataSpec.of(images.toString())).data();
        assertEquals(10_000, d.rows);
        assertEquals(784, d.features);
        assertEquals(10, d.numClasses());
        int[] perClass = new int[10];
        for (int r = 0; r < d.rows; r++) {
            perClass[d.label(r)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "class " + c);
        }
        double max = Arrays.stream(d.x).max().orElse(0);
        assertTrue(max > 200 && max <= 255, "pixels are unscaled bytes, max " + max);
    }
}
