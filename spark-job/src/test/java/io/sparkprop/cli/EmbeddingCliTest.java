// A network with embeddings and layer-norm through the CLI: trains in process, saves its categorical columns, and
// evaluate, predict (an unseen code included), gradcheck and export (ONNX reproducing predict) work on it; a bad
// code is one line naming the column; on Spark the driver and barrier protocols give the same bits, close to the
// in-process run.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sparkprop.trainer.model.Model;
import io.sparkprop.trainer.model.ModelIO;

class EmbeddingCliTest {
    @TempDir
    static Path tmp;
    static Path csv;

    /** x1, color (4 categories), x2, size (3), label: the class is (color + [x1 > 0]) mod 3. */
    @BeforeAll
    static void data() throws Exception {
        csv = Files.write(tmp.resolve("shop.csv"), rows(120, 7, 4));
    }

    static List<String> rows(int n, long seed, int colorCodes) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(List.of("x1,color,x2,size,label"));
        for (int i = 0; i < n; i++) {
            double x1 = r.nextDouble(-1, 1);
            int color = r.nextInt(colorCodes);
            int label = (color + (x1 > 0 ? 1 : 0)) % 3;
            lines.add(String.format("%.4f,%d,%.4f,%d,%d", x1 * 50 + 100, color, r.nextDouble(), r.nextInt(3), label));
        }
        return lines;
    }

    static String[] args(String command, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--set", "data.train=\"" + csv + "\"",
                "--set", "data.validation-fraction=0", "--set", "data.scale=standard",
                "--set", "data.categorical-columns=[{column=color,cardinality=4},{column=size,cardinality=3}]",
                "--set", "model.layers=[{type=embedding,dim=3},{type=dense,units=8,activation=tanh},"
                        + "{type=layer-norm}]",
                "--set", "train.batch-size=16", "--set", "train.seed=5"));
        if (out != null) a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void trainsSavesItsColumnsAndServesEvaluatePredictAndGradcheck() throws Exception {
        Path out = tmp.resolve("local");
        Cli t = Cli.run(args("train", out, "--set", "train.epochs=40", "--set", "optimizer.learning-rate=0.03"));
        assertEquals(0, t.exit(), t.err());
        assertTrue(LayerListCliTest.summary(out).getDouble("train_accuracy") > 0.9, t.err());
        Model m = ModelIO.load(out.resolve("model"));
        assertArrayEquals(new int[]{1, 3}, m.net().stack.categorical().slots());
        assertArrayEquals(new int[]{4, 3}, m.net().stack.categorical().cardinalities());
        assertEquals(List.of("color", "size"), m.net().stack.categorical().names());
        // the codes reach the embedding unscaled; x1 is standardised
        assertEquals(0.0, m.shift()[1]);
        assertEquals(1.0, m.scale()[1]);
        assertEquals(1.0, m.scale()[3]);
        assertTrue(m.shift()[0] > 50, "x1 is centred: " + m.shift()[0]);

        String model = out.resolve("model").toString();
        Cli ev = Cli.run("evaluate", "--model", model, "--data", csv.toString());
        assertEquals(0, ev.exit(), ev.err());
        // color 4 = the unseen category's reserved row: predicted like any other row
        Path unseen = Files.write(tmp.resolve("unseen.csv"), rows(10, 8, 5));
        Path predictions = tmp.resolve("p.csv");
        Cli pr = Cli.run("predict", "--model", model, "--data", unseen.toString(), "--output", predictions.toString());
        assertEquals(0, pr.exit(), pr.err());
        assertEquals(11, Files.readAllLines(predictions).size());

        List<String> badLines = new ArrayList<>(rows(3, 9, 4));
        badLines.set(2, "100.0,5,0.5,1,0");
        Path bad = Files.write(tmp.resolve("bad.csv"), badLines);
        Cli b = Cli.run("predict", "--model", model, "--data", bad.toString(), "--output",
                tmp.resolve("q.csv").toString());
        assertEquals(2, b.exit(), b.err());
        assertTrue(b.err().contains("data row 2: categorical column color: value 5.0 is not a category code"),
                b.err());
        LayerListCliTest.assertOneErrorLine(b.err());

        Cli g = Cli.run(args("gradcheck", null));
        assertEquals(0, g.exit(), g.out() + g.err());
        // trace shows one table per categorical column (cardinality + 1 rows of dim 3) and layer-norm's γ, β
        Cli trace = Cli.run(args("trace", null, "--rows", "3"));
        assertEquals(0, trace.exit(), trace.err());
        assertTrue(trace.out().contains((5 + 4) * 3 + " (tables color [5, 3], size [4, 3])"), trace.out());
        assertTrue(trace.out().contains("16 (γ, β [8])"), trace.out());

        // the exported graph looks the codes up (the unseen colour 4 included) as predict does
        for (String dtype : List.of("float32", "float64")) {
            Path file = tmp.resolve(dtype + ".onnx");
            Cli export = Cli.run("export", "--model", model, "--dtype", dtype, "--output", file.toString());
            assertEquals(0, export.exit(), export.err());
            List<String> data = Files.readAllLines(unseen);
            LayerListCliTest.assertOnnxReproducesPredict(file, data.subList(1, data.size()), 4,
                    Files.readAllLines(predictions), dtype.equals("float32") ? 1e-5 : 1e-12);
        }
    }

    @Test
    void aBadCodeInTheTrainingFileNamesTheColumn() throws Exception {
        List<String> lines = new ArrayList<>(rows(20, 10, 4));
        lines.set(5, "100.0,1,0.5,-1,0");
        Path bad = Files.write(tmp.resolve("badtrain.csv"), lines);
        String[] a = args("train", tmp.resolve("bad"));
        a[2] = "data.train=\"" + bad + "\"";
        Cli t = Cli.run(a);
        assertEquals(2, t.exit(), t.err());
        assertTrue(t.err().contains("data row 5: categorical column size: value -1.0 is not a category code"),
                t.err());
        LayerListCliTest.assertOneErrorLine(t.err());
    }

    /** On Spark with a validation split, the bad code's row is still its place in the file (the lowest bad one). */
    @Test
    void aBadCodeOnSparkNamesItsRowInTheFile() throws Exception {
        List<String> lines = new ArrayList<>(rows(40, 11, 4));
        lines.set(33, "100.0,1,0.5,9,0");
        lines.set(30, "100.0,1,0.5,7,0");
        Path bad = Files.write(tmp.resolve("badspark.csv"), lines);
        String[] a = LayerListCliTest.concat(args("train", tmp.resolve("bad-spark")), new String[]{"--master",
                "local[2]", "--set", "train.engine=spark", "--set", "spark.partitions=3", "--set",
                "data.validation-fraction=0.3"});
        a[2] = "data.train=\"" + bad + "\"";
        Cli t = Cli.run(a);
        assertEquals(2, t.exit(), t.err());
        assertTrue(t.err().contains("data row 30: categorical column size: value 7.0 is not a category code"),
                t.err());
        LayerListCliTest.assertOneErrorLine(t.err());
    }

    /** The CSV's rows as Parquet (codes as doubles, the label a string), written by a session stopped at once. */
    static Path parquet(String name, List<String> csvLines) {
        Path dir = tmp.resolve(name);
        org.apache.spark.sql.SparkSession s = org.apache.spark.sql.SparkSession.builder().master("local[1]")
                .appName("EmbeddingCliTest").config("spark.ui.enabled", "false").getOrCreate();
        try {
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
            for (String c : List.of("x1", "color", "x2", "size")) {
                schema = schema.add(c, org.apache.spark.sql.types.DataTypes.DoubleType);
            }
            schema = schema.add("label", org.apache.spark.sql.types.DataTypes.StringType);
            List<org.apache.spark.sql.Row> rows = new ArrayList<>();
            for (String line : csvLines.subList(1, csvLines.size())) {
                String[] v = line.split(",");
                rows.add(org.apache.spark.sql.RowFactory.create(Double.parseDouble(v[0]), Double.parseDouble(v[1]),
                        Double.parseDouble(v[2]), Double.parseDouble(v[3]), v[4]));
            }
            s.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
        } finally {
            s.stop();
        }
        return dir;
    }

    @Test
    void parquetInputNamesItsCategoricalFeatureColumns() throws Exception {
        Path good = parquet("shop.parquet", Files.readAllLines(csv));
        List<String> badLines = new ArrayList<>(rows(20, 11, 4));
        badLines.set(7, "100.0,2.5,0.5,1,0");
        Path bad = parquet("bad.parquet", badLines);
        String[] spark = {"--master", "local[2]", "--set", "train.engine=spark", "--set", "data.format=parquet",
                "--set", "data.label-column=label", "--set", "train.epochs=2"};
        Path out = tmp.resolve("pq");
        String[] a = LayerListCliTest.concat(args("train", out), spark);
        a[2] = "data.train=\"" + good + "\"";
        Cli t = Cli.run(a);
        assertEquals(0, t.exit(), t.err());
        Model m = ModelIO.load(out.resolve("model"));
        assertArrayEquals(new int[]{1, 3}, m.net().stack.categorical().slots());
        assertEquals(1.0, m.scale()[1]);
        a = LayerListCliTest.concat(args("train", tmp.resolve("pq-bad")), spark);
        a[2] = "data.train=\"" + bad + "\"";
        Cli b = Cli.run(a);
        assertEquals(2, b.exit(), b.err());
        assertTrue(b.err().contains("data row 7: categorical column color: value 2.5 is not a category code"),
                b.err());
        LayerListCliTest.assertOneErrorLine(b.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void sparkProtocolsGiveTheSameBitsCloseToTheInProcessRun(String precision) {
        String[] common = {"--set", "train.epochs=3", "--set", "compute.precision=" + precision};
        Path local = tmp.resolve("cmp-local-" + precision);
        assertEquals(0, Cli.run(LayerListCliTest.concat(args("train", local), common)).exit());
        double[] want = ModelIO.load(local.resolve("model")).params();
        double[][] got = new double[2][];
        String[] protocols = {"driver", "barrier"};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("cmp-" + protocols[i] + "-" + precision);
            Cli c = Cli.run(LayerListCliTest.concat(LayerListCliTest.concat(args("train", out), common), new String[]{
                    "--master", "local[2]", "--set", "train.engine=spark", "--set", "spark.partitions=2",
                    "--set", "spark.protocol=" + protocols[i]}));
            assertEquals(0, c.exit(), c.err());
            got[i] = ModelIO.load(out.resolve("model")).params();
        }
        assertArrayEquals(got[0], got[1], 0.0);
        assertArrayEquals(want, got[0], precision.equals("float32") ? 1e-4 : 1e-9);
    }
}
