// `sparkprop evaluate` on data with the model's weight column: metrics weighted as rows repeated, in process and
// on Spark.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightedEvaluateTest {
    @TempDir
    Path dir;

    static Config evaluate(Path model, Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--data",
                data.toString()));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        return ConfigFactory.parseString(r.out());
    }

    @Test
    void weightsCountAsRepeatedRowsInProcessAndOnSpark() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        List<String> weighted = new ArrayList<>(List.of("a,b,w,kind"));
        List<String> repeated = new ArrayList<>(List.of("a,b,w,kind"));
        for (int i = 0; i < 120; i++) {
            String kind = i % 3 == 0 ? "x" : "y";
            double c = kind.equals("x") ? 0.8 : 0.0;
            String row = (c + rnd.nextGaussian()) + "," + (c + rnd.nextGaussian());
            int w = i % 2 == 0 ? 2 : 1;
            weighted.add(row + "," + w + "," + kind);
            for (int k = 0; k < w; k++) repeated.add(row + ",1," + kind);
        }
        Path data = Cli.file(dir, "weighted.csv", weighted.toArray(new String[0]));
        Path same = Cli.file(dir, "repeated.csv", repeated.toArray(new String[0]));
        Path out = dir.resolve("run");
        Cli t = Cli.run(Cli.train(out, "data.train=" + data, "data.weight-column=w", "data.label-column=kind"));
        assertEquals(0, t.exit(), t.err());
        Path model = out.resolve("model");
        Config w = evaluate(model, data);
        Config r = evaluate(model, same);
        assertEquals(120, w.getInt("rows"));
        assertEquals(180, r.getInt("rows"));
        assertEquals(r.getDouble("accuracy"), w.getDouble("accuracy"), 1e-12);
        assertEquals(r.getDouble("loss"), w.getDouble("loss"), 1e-12);
        Config spark = evaluate(model, data, "--master", "local[2]");
        assertEquals(w.getDouble("accuracy"), spark.getDouble("accuracy"), 1e-12);
        assertEquals(w.getDouble("loss"), spark.getDouble("loss"), 1e-9);
        Path ones = Cli.file(dir, "ones.csv", weighted.stream().map(l -> l.replace(",2,", ",1,")).toList()
                .toArray(new String[0]));
        assertNotEquals(w.getDouble("loss"), evaluate(model, ones).getDouble("loss"), "the weights must matter");
    }
}
