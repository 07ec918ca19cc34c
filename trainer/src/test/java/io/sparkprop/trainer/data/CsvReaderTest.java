// Tests for CsvReader: layout detection, label mapping, and one-line file:line errors for malformed rows.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static CsvReader classifier() {
        return new CsvReader(null, true, null, null, SkipLog.failing());
    }

    private static String failure(Runnable r) {
        return assertThrows(UserError.class, r::run).getMessage();
    }

    @Test
    void readsHeaderlessRowsWithWhitespaceAndBlankLines() throws IOException {
        Path f = write("a.csv", "1.5, 2, a\n\n  3 ,4.25 , b  \n# a comment\n5,6,a\n");
        Dataset d = classifier().read(f);
        assertEquals(3, d.rows);
        assertEquals(2, d.features);
        assertArrayEquals(new double[] {1.5, 2, 3, 4.25, 5, 6}, d.x);
        assertEquals(List.of("a", "b"), d.classNames);
        assertArrayEquals(new double[] {0, 1, 0}, d.y);
    }

    @Test
    void detectsHeaderAndPicksLabelColumnByName() throws IOException {
        Path f = write("h.csv", "species,length,width\nsetosa,1,2\nvirginica,3,4\n");
        CsvReader reader = new CsvReader("species", true, null, null, SkipLog.failing());
        Dataset d = reader.read(f);
        assertEquals(List.of("species", "length", "width"), reader.header());
        assertEquals(2, d.rows);
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.x);
        assertEquals(List.of("setosa", "virginica"), d.classNames);
    }

    @Test
    void labelColumnByIndexAndFromTheEnd() throws IOException {
        Path f = write("i.csv", "7,1,2\n8,3,4\n");
        Dataset first = new CsvReader("0", true, null, null, null).read(f);
        assertArrayEquals(new double[] {1, 2, 3, 4}, first.x);
        assertEquals(List.of("7", "8"), first.classNames);
        Dataset last = new CsvReader("-1", false, null, null, null).read(f);
        assertArrayEquals(new double[] {7, 1, 8, 3}, last.x);
        assertArrayEquals(new double[] {2, 4}, last.y);
        assertNull(last.classNames);
    }

    @Test
    void numericLabelsSortByValueAndMergeSpellings() throws IOException {
        Path f = write("n.csv", "0,10\n0,2\n0,2.0\n0,1\n0,+10\n");
        Dataset d = classifier().read(f);
        assertEquals(List.of("1", "2", "10"), d.classNames);
        assertArrayEquals(new double[] {2, 1, 1, 0, 2}, d.y);
    }

    @Test
    void wordLabelsSortLexicographically() throws IOException {
        Dataset d = classifier().read(write("w.csv", "0,pear\n0,apple\n0,fig\n"));
        assertEquals(List.of("apple", "fig", "pear"), d.classNames);
        assertArrayEquals(new double[] {2, 0, 1}, d.y);
    }

    @Test
    void knownClassesKeepTheModelsOrder() throws IOException {
        Path f = write("k.csv", "0,b\n1,a\n2,1.0\n");
        Dataset d = new CsvReader(null, true, List.of("1", "b", "a", "z"), null, null).read(f);
        assertEquals(List.of("1", "b", "a", "z"), d.classNames);
        assertArrayEquals(new double[] {1, 2, 0}, d.y);
    }

    @Test
    void unseenLabelWithKnownClassesNamesFileAndLine() throws IOException {
        Path f = write("eval.csv", "0,a\n1,b\n2,c\n");
        String msg = failure(() -> new CsvReader(null, true, List.of("a", "b"), null, SkipLog.skipping()).read(f));
        assertTrue(msg.contains("eval.csv:3"), msg);
        assertTrue(msg.contains("\"c\""), msg);
    }

    @Test
    void semicolonAndTabSeparators() throws IOException {
        assertArrayEquals(new double[] {1, 2, 3, 4}, classifier().read(write("s.csv", "1;2;x\n3;4;y\n")).x, 0.0);
        assertEquals(2, classifier().read(write("t.tsv", "1\t2\tx\n3\t4\ty\n")).rows);
    }

    @Test
    void quotedTokensAreUnquoted() throws IOException {
        CsvReader reader = classifier();
        Dataset d = reader.read(write("q.csv", "\"a\",\"label\"\n\"1\",\"yes\"\n2,no\n"));
        assertEquals(List.of("a", "label"), reader.header());
        assertEquals(List.of("no", "yes"), d.classNames);
    }

    @Test
    void quotedFieldMayHoldTheSeparator() throws IOException {
        CsvReader reader = new CsvReader("kind", true, null, null, null);
        Dataset d = reader.read(write("c.csv", "\"width, cm\",\"length, cm\",kind\n\"1.5\",2,x\n3,4,\"y, z\"\n"));
        assertEquals(List.of("width, cm", "length, cm", "kind"), reader.header());
        assertArrayEquals(new double[] {1.5, 2, 3, 4}, d.x);
        assertEquals(List.of("x", "y, z"), d.classNames);
        // A decimal comma in quotes is one field that is not a number; it used to split into 4 tokens
        // ("expected 3 columns, got 4").
        Path comma = write("n.csv", "a,b,kind\n1,2,x\n\"1,5\",2,x\n");
        String msg = failure(() -> reader.read(comma));
        assertEquals(comma + ":3: column 1 of 3 \"a\": \"1,5\" is not a number", msg);
    }

    @Test
    void escapedQuotesInsideQuotedFields() throws IOException {
        CsvReader reader = new CsvReader("label", true, null, null, null);
        Dataset d = reader.read(write("e.csv", "\"a \"\"wide\"\" one\",label\n1,\"say \"\"hi\"\"\"\n2,\"\"\"\"\n"));
        assertEquals(List.of("a \"wide\" one", "label"), reader.header());
        assertEquals(List.of("\"", "say \"hi\""), d.classNames);
        assertArrayEquals(new double[] {1, 2}, d.x);
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstField() throws IOException {
        // A BOM used to make the first numeric token a word, so a headerless file lost its first row as a header.
        Dataset plain = classifier().read(write("b.csv", "\uFEFF1,2,a\n3,4,b\n"));
        assertEquals(2, plain.rows);
        assertArrayEquals(new double[] {1, 2, 3, 4}, plain.x);
        CsvReader reader = new CsvReader("kind", true, null, null, null);
        reader.read(write("bh.csv", "\uFEFFx,y,kind\n1,2,a\n3,4,b\n"));
        assertEquals(List.of("x", "y", "kind"), reader.header());
    }

    @Test
    void crlfLineEndings() throws IOException {
        CsvReader reader = new CsvReader("kind", true, null, null, null);
        Dataset d = reader.read(write("w.csv", "x,y,kind\r\n1,\"2\",a\r\n3,4,b\r\n\r\n"));
        assertEquals(List.of("x", "y", "kind"), reader.header());
        assertEquals(List.of("a", "b"), d.classNames);
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.x);
    }

    @Test
    void separatorIsChosenOutsideQuotes() throws IOException {
        CsvReader reader = classifier();
        Dataset d = reader.read(write("s.csv", "\"a,b\";c;label\n1;2;\"x,y\"\n3;4;z\n"));
        assertEquals(List.of("a,b", "c", "label"), reader.header());
        assertEquals(2, d.rows);
        assertEquals(List.of("x,y", "z"), d.classNames);
        assertEquals(2, d.features);
    }

    @Test
    void malformedQuotingNamesFileAndLine() throws IOException {
        Path unclosed = write("o.csv", "1,2,a\n3,\"4,b\n");
        assertEquals(unclosed + ":2: unclosed double quote (a quoted field must end on the same line)",
                failure(() -> classifier().read(unclosed)));
        Path trailing = write("t.csv", "1,2,a\n3,\"4\"5,b\n");
        String after = failure(() -> classifier().read(trailing));
        assertTrue(after.startsWith(trailing + ":2: malformed quoted field"), after);
        SkipLog skips = SkipLog.skipping();
        Dataset d = new CsvReader(null, true, null, null, skips).read(write("k.csv", "1,2,a\n3,\"4,b\n5,6,b\n"));
        assertEquals(2, d.rows);
        assertEquals(List.of(2L), skips.firstLines());
    }

    @Test
    void nonNumericTokenNamesFileLineAndColumn() throws IOException {
        Path f = write("bad.csv", "x,y,label\n1,2,a\n3,oops,b\n");
        String msg = failure(() -> classifier().read(f));
        assertTrue(msg.startsWith(f + ":3: "), msg);
        assertTrue(msg.contains("column 2 of 3 \"y\""), msg);
        assertTrue(msg.contains("\"oops\" is not a number"), msg);
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        Path bad = write("bad.csv", "1,2,a\nNaN,2,b\n");
        String nan = failure(() -> classifier().read(bad));
        assertTrue(nan.contains("bad.csv:2") && nan.contains("not finite"), nan);
        Path inf = write("inf.csv", "1,2,a\n1,2,b\n1,-inf,a\n");
        String msg = failure(() -> classifier().read(inf));
        assertTrue(msg.contains("inf.csv:3") && msg.contains("not finite"), msg);
    }

    @Test
    void wrongColumnCountSaysExpectedAndGot() throws IOException {
        Path f = write("bad.csv", "1,2,a\n3,4,b\n5,a\n");
        String msg = failure(() -> classifier().read(f));
        assertTrue(msg.contains("bad.csv:3") && msg.contains("expected 3 columns, got 2"), msg);
    }

    @Test
    void regressionLabelMustBeFinite() throws IOException {
        Path f = write("r.csv", "1,2\n3,abc\n");
        String msg = failure(() -> new CsvReader(null, false, null, null, null).read(f));
        assertTrue(msg.contains("r.csv:2") && msg.contains("regression"), msg);
    }

    @Test
    void skipModeCountsBadRows() throws IOException {
        Path f = write("s.csv", "1,2,a\nx,2,a\n3,4,b\n5\n6,7,a\n");
        SkipLog skips = SkipLog.skipping();
        Dataset d = new CsvReader(null, true, null, null, skips).read(f);
        assertEquals(3, d.rows);
        assertEquals(2, skips.count());
        assertEquals(List.of(2L, 4L), skips.firstLines());
    }

    @Test
    void headerMismatchAgainstTraining() throws IOException {
        Path f = write("h.csv", "a,c,label\n1,2,x\n");
        String msg = failure(() -> new CsvReader(null, true, null, List.of("a", "b", "label"), null).read(f));
        assertTrue(msg.contains("h.csv:1") && msg.contains("column 2 is \"c\""), msg);
    }

    @Test
    void unknownLabelColumnNameListsTheHeader() throws IOException {
        Path f = write("h.csv", "a,b,label\n1,2,x\n");
        String msg = failure(() -> new CsvReader("class", true, null, null, null).read(f));
        assertTrue(msg.contains("h.csv:1") && msg.contains("no column named \"class\""), msg);
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = write("empty.csv", "\n# only a comment\n");
        assertEquals(empty + ": no data rows", failure(() -> classifier().read(empty)));
        Path headerOnly = write("ho.csv", "a,b,c\n");
        assertEquals(headerOnly + ": no data rows", failure(() -> classifier().read(headerOnly)));
        Path missing = dir.resolve("missing.csv");
        assertEquals(missing + ": no such file", failure(() -> classifier().read(missing)));
    }
}
