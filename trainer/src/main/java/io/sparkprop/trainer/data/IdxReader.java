// Reads MNIST-style IDX files (an images file and its labels file, gzipped or not) into a Dataset.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * IDX is big-endian: a magic number whose low bytes give the element type (0x08 = unsigned byte) and the number
 * of dimensions, then one int per dimension, then the data. Images are {@code 0x00000803} (n × rows × cols),
 * labels {@code 0x00000801} (n). Pixels are kept as 0..255; scaling them is the {@link Scaler}'s job.
 * Compression is recognised by the gzip magic bytes, not by the ".gz" suffix.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** The labels file that goes with an images file: "images-idx3" → "labels-idx1" in the file name. */
    public static Path labelsPathFor(Path images) {
        String file = images.getFileName().toString();
        if (!file.contains("images-idx3")) {
            throw new UserError(images + ": cannot find the labels file: the name does not contain \"images-idx3\""
                    + " to replace with \"labels-idx1\"; give the labels path explicitly");
        }
        return images.resolveSibling(file.replace("images-idx3", "labels-idx1"));
    }

    /**
     * @param labels       the labels file, or null to derive it with {@link #labelsPathFor}
     * @param knownClasses a saved model's classes, or null for "0".."max label"
     */
    public static Dataset read(Path images, Path labels, List<String> knownClasses) {
        Path labelsFile = labels != null ? labels : labelsPathFor(images);
        int[] label = readLabels(labelsFile);
        String name = images.toString();
        try (DataInputStream in = new DataInputStream(Inputs.open(images, name))) {
            int magic = readHeaderInt(in, name, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new UserError(name + ": " + (magic == LABELS_MAGIC
                        ? "this is an IDX labels file (magic 0x00000801); expected the images file"
                        : String.format("wrong magic number 0x%08x; expected 0x%08x (IDX images: unsigned bytes,"
                        + " 3 dimensions)", magic, IMAGES_MAGIC)));
            }
            int n = readCount(in, name, "image count");
            int height = readCount(in, name, "row count");
            int width = readCount(in, name, "column count");
            if (n != label.length) {
                throw new UserError(name + ": " + n + " images but " + labelsFile + " has " + label.length + " labels");
            }
            if ((long) height * width * n > Integer.MAX_VALUE - 8) {
                throw new UserError(name + ": too large: " + n + " images of " + height + "×" + width
                        + " do not fit in one table");
            }
            int pixels = height * width;
            if (n == 0) {
                throw new UserError(name + ": no data rows");
            }
            double[] x = new double[n * pixels];
            byte[] image = new byte[pixels];
            for (int i = 0; i < n; i++) {
                try {
                    in.readFully(image);
                } catch (EOFException e) {
                    throw new UserError(name + ": truncated: expected " + n + " images of " + height + "×" + width
                            + " pixels, the data ends in image " + (i + 1), e);
                }
                int base = i * pixels;
                for (int p = 0; p < pixels; p++) {
                    x[base + p] = image[p] & 0xff;
                }
            }
            return ClassLabels.remap(new Dataset(n, pixels, 1, x, toY(label), digitNames(label)), knownClasses,
                    labelsFile.toString());
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
    }

    /** The labels as 0..255, after checking the magic number and that the file holds as many as it says. */
    static int[] readLabels(Path file) {
        String name = file.toString();
        try (DataInputStream in = new DataInputStream(Inputs.open(file, name))) {
            int magic = readHeaderInt(in, name, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new UserError(name + ": " + (magic == IMAGES_MAGIC
                        ? "this is an IDX images file (magic 0x00000803); expected the labels file"
                        : String.format("wrong magic number 0x%08x; expected 0x%08x (IDX labels: unsigned bytes,"
                        + " 1 dimension)", magic, LABELS_MAGIC)));
            }
            int n = readCount(in, name, "label count");
            // readNBytes grows its buffer as data arrives, so a corrupt count cannot demand gigabytes up front.
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new UserError(name + ": truncated: expected " + n + " labels, the data ends after "
                        + bytes.length);
            }
            int[] label = new int[n];
            for (int i = 0; i < n; i++) {
                label[i] = bytes[i] & 0xff;
            }
            return label;
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
    }

    private static int readHeaderInt(DataInputStream in, String name, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new UserError(name + ": truncated: the file ends before its header (" + what + ")", e);
        }
    }

    private static int readCount(DataInputStream in, String name, String what) throws IOException {
        int n = readHeaderInt(in, name, what);
        if (n < 0) {
            throw new UserError(name + ": negative " + what + " " + n + " in the header");
        }
        return n;
    }

    private static double[] toY(int[] label) {
        double[] y = new double[label.length];
        for (int i = 0; i < label.length; i++) {
            y[i] = label[i];
        }
        return y;
    }

    /** "0".."max": a digit's class index is the digit itself, even if some digit happens to be absent. */
    private static List<String> digitNames(int[] label) {
        int max = 0;
        for (int l : label) {
            max = Math.max(max, l);
        }
        List<String> names = new ArrayList<>(max + 1);
        for (int c = 0; c <= max; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }
}
