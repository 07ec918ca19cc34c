// Several target columns from CSV: k real values for regression, k 0/1 labels for multi-label, by name or index.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkprop.trainer.UserError;

class TargetColumnsTest {
    @TempDir
    Path tmp;

    Path csv(String text) throws Exception {
        Path f = tmp.resolve("d" + System.nanoTime() + ".csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void twoRealTargetsByNameInTheOrderGiven() throws Exception {
        Path f = csv("a,t1,b,t2\n1,10,2,20\n3,30,4,40\n");
        Dataset d = new CsvReader("t2,t1", false, null, null, null).read(f);
        assertEquals(2, d.features);
        assertEquals(2, d.targets);
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.x);
        assertArrayEquals(new double[] {20, 10, 40, 30}, d.y, "targets × rows, in label-column order");
        assertNull(d.classNames);
    }

    @Test
    void byIndexWithoutAHeaderAndThroughTheLoader() throws Exception {
        Path f = csv("0.05,0.10,0.01,0.99\n0.2,0.3,0.5,0.5\n");
        Dataset d = DataLoader.load(DataSpec.of(f.toString()).withLabelColumn("2,3").withClassification(false))
                .data();
        assertEquals(2, d.features);
        assertArrayEquals(new double[] {0.01, 0.99, 0.5, 0.5}, d.y);
    }

    @Test
    void multiLabelTargetsAreZeroOrOneAndNamedByTheirColumns() throws Exception {
        Path f = csv("x,red,y,round\n1,0,2,1\n3,1,4,1\n5,0,6,0\n");
        Dataset d = DataLoader.load(DataSpec.of(f.toString()).withLabelColumn("red,round")).data();
        assertEquals(List.of("red", "round"), d.classNames);
        assertEquals(2, d.targets);
        assertTrue(!d.hasClassIndex());
        assertArrayEquals(new double[] {0, 1, 1, 1, 0, 0}, d.y);

        Path bad = csv("x,red,y,round\n1,0,2,1\n3,2,4,1\n");
        String msg = assertThrows(UserError.class,
                () -> new CsvReader("red,round", true, null, null, null).read(bad)).getMessage();
        assertEquals(bad + ":3: column 2 of 4 \"red\" (label): \"2\" is not 0 or 1; several class targets are"
                + " multi-label 0/1 values", msg);
    }

    @Test
    void badTargetListsAreOneLineNamingTheFileAndLine() throws Exception {
        Path f = csv("a,t1,b,t2\n1,10,2,20\n");
        assertEquals(f + ":1: label columns t1 and 1 are the same column",
                assertThrows(UserError.class, () -> new CsvReader("t1,1", false, null, null, null).read(f))
                        .getMessage());
        assertTrue(assertThrows(UserError.class, () -> new CsvReader("t1,t3", false, null, null, null).read(f))
                .getMessage().startsWith(f + ":1: no column named \"t3\""));
        assertEquals(f + ":1: 4 label columns leave no feature column: the line has 4",
                assertThrows(UserError.class, () -> new CsvReader("0,1,2,3", false, null, null, null).read(f))
                        .getMessage());
    }
}
