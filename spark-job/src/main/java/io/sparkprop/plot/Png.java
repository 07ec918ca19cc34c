// Writes XChart charts side by side into one PNG, under a temporary name renamed into place.
package io.sparkprop.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** A reader of OUT never sees half a picture: the rename is atomic. */
final class Png {
    private Png() {
    }

    static void save(Path png, List<XYChart> charts) {
        try {
            Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            // saveBitmap appends the extension to the name it is given.
            Path written = tmp.resolveSibling(tmp.getFileName() + ".png");
            Files.move(written, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
