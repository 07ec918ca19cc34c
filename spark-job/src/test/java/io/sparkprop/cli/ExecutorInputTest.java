// CSV and LIBSVM on the Spark engine: parsed by the executors, errors still name the file's own line.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.trainer.data.Builtins;
import io.sparkprop.trainer.data.Dataset;

class ExecutorInputTest {
    @TempDir
    Path tmp;

    /** Spirals as CSV with a header and word labels, or as LIBSVM; optionally one broken line. */
    Path write(String name, boolean libsvm, int brokenLine) throws Exception {
        Dataset d = Builtins.spirals(200, 3, 0.1, 3);
        List<String> lines = new ArrayList<>();
        if (!libsvm) lines.add("x1,x2,arm");
        for (int r = 0; r < d.rows; r++) {
            String label = List.of("red", "green", "blue").get((int) d.y[r]);
            lines.add(libsvm ? String.format(Locale.ROOT, "%d 1:%s 2:%s", (int) d.y[r], d.x[2 * r], d.x[2 * r + 1])
                    : String.format(Locale.ROOT, "%s,%s,%s", d.x[2 * r], d.x[2 * r + 1], label));
        }
        if (brokenLine > 0) lines.set(brokenLine - 1, libsvm ? "1 1:oops" : "0.5,oops,red");
        Path f = tmp.resolve(name);
        Files.write(f, lines);
        return f;
    }

    Cli train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--config", Cli.conf("spirals.conf"), "--master",
                "local[2]", "--set", "train.engine=spark", "--set", "spark.partitions=3", "--set",
                "data.train=" + data, "--set", "data.validation-fraction=0.2", "--set", "train.epochs=40",
                "--set", "train.batch-size=64", "--set", "optimizer.learning-rate=0.02",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void csvWithHeaderAndWordLabelsTrainsOnTheExecutors() throws Exception {
        Path out = tmp.resolve("csv-run");
        Cli r = train(write("spirals.csv", false, 0), out);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("parsed on the executors"), r.err());
        Config s = ConfigFactory.parseFile(out.resolve("summary.json").toFile());
        assertTrue(s.getDouble("val_accuracy") > 0.9, "val_accuracy " + s.getDouble("val_accuracy"));
        assertEquals(3, s.getInt("partitions"));
        Config model = ConfigFactory.parseFile(out.resolve("model/model.json").toFile());
        assertEquals(List.of("blue", "green", "red"), model.getStringList("classes"));

        // evaluate and predict on Spark agree with the in-JVM commands.
        Path csv = tmp.resolve("spirals.csv");
        String m = out.resolve("model").toString();
        Cli local = Cli.run("evaluate", "--model", m, "--data", csv.toString());
        Cli spark = Cli.run("evaluate", "--model", m, "--data", csv.toString(), "--master", "local[2]");
        assertEquals(0, spark.exit(), spark.err());
        Config a = ConfigFactory.parseString(local.out());
        Config b = ConfigFactory.parseString(spark.out());
        assertEquals(600, b.getInt("rows"));
        assertEquals(a.getDouble("accuracy"), b.getDouble("accuracy"));
        assertEquals(a.getDouble("loss"), b.getDouble("loss"), 1e-9);
        Path dir = tmp.resolve("predictions");
        Cli pred = Cli.run("predict", "--model", m, "--data", csv.toString(), "--output", dir.toString(),
                "--master", "local[2]");
        assertEquals(0, pred.exit(), pred.err());
        List<String> rows = new ArrayList<>();
        try (var parts = Files.list(dir)) {
            for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(part);
                assertEquals("label,p_blue,p_green,p_red", lines.get(0));
                rows.addAll(lines.subList(1, lines.size()));
            }
        }
        assertEquals(600, rows.size());
    }

    @Test
    void libsvmTrainsOnTheExecutors() throws Exception {
        Path out = tmp.resolve("svm-run");
        Cli r = train(write("spirals.libsvm", true, 0), out, "--set", "data.scale=auto");
        assertEquals(0, r.exit(), r.err());
        Config s = ConfigFactory.parseFile(out.resolve("summary.json").toFile());
        assertTrue(s.getDouble("val_accuracy") > 0.9, "val_accuracy " + s.getDouble("val_accuracy"));
        // data.scale = auto picks min-max for LIBSVM on the executors too.
        Config model = ConfigFactory.parseFile(out.resolve("model/model.json").toFile());
        assertEquals("minmax", model.getString("scaling.kind"));
    }

    @Test
    void aBadLineInALaterSplitIsNamedByItsLineInTheFile() throws Exception {
        Path data = write("broken.csv", false, 477);
        Path out = tmp.resolve("broken-run");
        Cli r = train(data, out);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("broken.csv:477:"), r.err());
        assertTrue(r.err().contains("not a number"), r.err());
        assertTrue(!Files.exists(out), "no output directory for a run that failed before training");
    }

    @Test
    void aTestFileOfAnotherWidthIsRefused() throws Exception {
        Path test = tmp.resolve("wide.csv");
        Files.write(test, List.of("x1,x2,x3,arm", "1,2,3,red", "4,5,6,blue"));
        Cli r = train(write("spirals.csv", false, 0), tmp.resolve("wide-run"), "--set", "data.test=" + test);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("wide.csv: 3 features, the training data has 2"), r.err());
    }

    /** RFC 4180 CSV as a spreadsheet writes it: BOM, CRLF, a quoted header and labels holding commas and quotes. */
    Path writeQuoted(String name, int unclosedLine) throws Exception {
        Dataset d = Builtins.spirals(200, 3, 0.1, 3);
        StringBuilder text = new StringBuilder("\uFEFF\"x, first\",\"x, second\",arm\r\n");
        for (int r = 0; r < d.rows; r++) {
            String label = List.of("\"red, dark\"", "\"say \"\"green\"\"\"", "blue").get((int) d.y[r]);
            String line = String.format(Locale.ROOT, "\"%s\",%s,%s", d.x[2 * r], d.x[2 * r + 1], label);
            text.append(r + 2 == unclosedLine ? "\"0.5,0.5,blue" : line).append("\r\n");
        }
        return Files.writeString(tmp.resolve(name), text.toString());
    }

    @Test
    void quotedCsvReadsTheSameOnTheExecutorsAsInProcess() throws Exception {
        Path data = writeQuoted("quoted.csv", 0);
        Path out = tmp.resolve("quoted-run");
        Cli r = train(data, out, "--set", "train.epochs=1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("600 rows × 2 features, 3 classes (parsed on the executors)"), r.err());
        Config model = ConfigFactory.parseFile(out.resolve("model/model.json").toFile());
        List<String> classes = List.of("blue", "red, dark", "say \"green\"");
        assertEquals(classes, model.getStringList("classes"));
        io.sparkprop.trainer.data.CsvReader local = new io.sparkprop.trainer.data.CsvReader(null, true, null, null,
                null);
        assertEquals(classes, local.read(data).classNames);
        assertEquals(List.of("x, first", "x, second", "arm"), local.header());

        Cli bad = train(writeQuoted("unclosed.csv", 450), tmp.resolve("unclosed-run"));
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("unclosed.csv:450: unclosed double quote"), bad.err());
    }

    @Test
    void skipModeCountsTheBadRows() throws Exception {
        Path out = tmp.resolve("skip-run");
        Cli r = train(write("skip.csv", false, 300), out, "--set", "data.on-bad-row=skip", "--set", "train.epochs=2");
        assertEquals(0, r.exit(), r.err());
        Config s = ConfigFactory.parseFile(out.resolve("summary.json").toFile());
        assertEquals(1, s.getInt("skipped_rows"));
        assertEquals(List.of(300), s.getIntList("skipped_lines"));
    }
}
