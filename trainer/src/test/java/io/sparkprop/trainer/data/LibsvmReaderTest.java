// Tests for LibsvmReader: sparse rows to dense, labels, and every malformation naming file:line.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibsvmReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String failure(Runnable r) {
        return assertThrows(UserError.class, r::run).getMessage();
    }

    private static LibsvmReader classifier(int numFeatures) {
        return new LibsvmReader(numFeatures, true, null, SkipLog.failing());
    }

    @Test
    void densifiesWithInferredWidth() throws IOException {
        Path f = write("a.libsvm", "+1 1:0.5 3:2\n-1 2:1.5 # comment\n\n+1 qid:3 4:1\n");
        Dataset d = classifier(0).read(f);
        assertEquals(3, d.rows);
        assertEquals(4, d.features);
        assertArrayEquals(new double[] {0.5, 0, 2, 0, 0, 1.5, 0, 0, 0, 0, 0, 1}, d.x);
        assertEquals(List.of("-1", "+1"), d.classNames);
        assertArrayEquals(new double[] {1, 0, 1}, d.y);
    }

    @Test
    void givenWidthPadsAndRegressionLabels() throws IOException {
        Path f = write("r.svm", "3.5 1:1\n-2 2:1\n");
        Dataset d = new LibsvmReader(5, false, null, null).read(f);
        assertEquals(5, d.features);
        assertArrayEquals(new double[] {3.5, -2}, d.y);
        assertEquals(null, d.classNames);
    }

    @Test
    void multiClassLabelsSortNumerically() throws IOException {
        Dataset d = classifier(0).read(write("m.txt", "3 1:1\n0 1:1\n10 1:1\n"));
        assertEquals(List.of("0", "3", "10"), d.classNames);
    }

    @Test
    void indexZeroIsRejected() throws IOException {
        Path f = write("bad.libsvm", "1 1:1\n0 0:1 2:1\n");
        String msg = failure(() -> classifier(0).read(f));
        assertTrue(msg.contains("bad.libsvm:2") && msg.contains("start at 1"), msg);
    }

    @Test
    void indicesMustAscend() throws IOException {
        Path f = write("bad.libsvm", "1 1:1\n0 1:1\n1 3:1 2:1\n");
        String msg = failure(() -> classifier(0).read(f));
        assertTrue(msg.contains("bad.libsvm:3") && msg.contains("strictly ascending"), msg);
        Path dup = write("dup.libsvm", "1 2:1 2:1\n");
        assertTrue(failure(() -> classifier(0).read(dup)).contains("dup.libsvm:1"));
    }

    @Test
    void indexBeyondGivenWidth() throws IOException {
        Path f = write("bad.libsvm", "1 1:1\n0 4:1\n");
        String msg = failure(() -> classifier(3).read(f));
        assertTrue(msg.contains("bad.libsvm:2") && msg.contains("exceeds the 3 features"), msg);
    }

    @Test
    void malformedPairsAndValues() throws IOException {
        String[] lines = {"1 3", "1 a:2", "1 2:", "1 2:x", "1 2:nan", "1 2:inf", "1:2 3:4"};
        for (String line : lines) {
            Path f = write("bad.libsvm", "1 1:1\n" + line + "\n");
            String msg = failure(() -> classifier(0).read(f));
            assertTrue(msg.contains("bad.libsvm:2: "), line + " → " + msg);
        }
    }

    @Test
    void regressionLabelMustBeANumber() throws IOException {
        Path f = write("r.libsvm", "1 1:1\nup 1:2\n");
        String msg = failure(() -> new LibsvmReader(0, false, null, null).read(f));
        assertTrue(msg.contains("r.libsvm:2") && msg.contains("regression"), msg);
    }

    @Test
    void skipModeCountsAndKeepsGoodRows() throws IOException {
        Path f = write("s.libsvm", "1 1:1\n1 0:1\n0 2:2\n0 2:1 1:1\n");
        SkipLog skips = SkipLog.skipping();
        Dataset d = new LibsvmReader(0, true, null, skips).read(f);
        assertEquals(2, d.rows);
        assertEquals(2, skips.count());
        assertEquals(List.of(2L, 4L), skips.firstLines());
    }

    @Test
    void allRowsBadIsNoData() throws IOException {
        Path f = write("s.libsvm", "1 0:1\n");
        String msg = failure(() -> new LibsvmReader(0, true, null, SkipLog.skipping()).read(f));
        assertTrue(msg.startsWith(f + ": no data rows"), msg);
    }

    @Test
    void unseenLabelWithKnownClasses() throws IOException {
        Path f = write("e.libsvm", "+1 1:1\n-1 1:1\n2 1:1\n");
        String msg = failure(() -> new LibsvmReader(0, true, List.of("-1", "1"), null).read(f));
        assertTrue(msg.contains("e.libsvm:3") && msg.contains("\"2\""), msg);
        Dataset d = new LibsvmReader(0, true, List.of("-1", "1"), null).read(write("ok.libsvm", "+1 1:1\n-1 1:1\n"));
        assertArrayEquals(new double[] {1, 0}, d.y);
    }
}
