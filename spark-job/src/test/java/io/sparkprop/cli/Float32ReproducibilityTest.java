// compute.precision = float32 through the CLI: bitwise equal weights across local[1]/local[3] and both protocols.
package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The float32 partials are summed in float within a partition and widened once, and the partitions' sum is
 * float64 in a fixed order, so a fixed spark.partitions gives the same bits whatever runs the tasks. Dropout
 * is on so the masks are covered too. The float64 run must differ: the float path really ran.
 */
class Float32ReproducibilityTest {
    @TempDir
    Path tmp;

    Config train(String name, String master, String protocol, String precision) {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--config", Cli.conf("spirals.conf"), "--master", master,
                "--set", "train.engine=spark", "--set", "spark.partitions=3", "--set", "model.dropout=0.1",
                "--set", "train.epochs=2", "--set", "spark.protocol=" + protocol,
                "--set", "compute.precision=" + precision, "--out", out.toString()));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Config s = ConfigFactory.parseFile(out.resolve("summary.json").toFile());
        assertEquals(precision, s.getString("precision"));
        assertEquals(protocol, s.getString("spark_protocol"));
        assertEquals(3, s.getInt("partitions"));
        return s;
    }

    @Test
    void float32WeightsAreBitwiseEqualAcrossThreadsAndProtocols() {
        String oneThread = train("l1-driver", "local[1]", "driver", "float32").getString("weights_sha256");
        String threeDriver = train("l3-driver", "local[3]", "driver", "float32").getString("weights_sha256");
        String threeBarrier = train("l3-barrier", "local[3]", "barrier", "float32").getString("weights_sha256");
        assertEquals(oneThread, threeDriver, "local[1] vs local[3], driver protocol");
        assertEquals(threeDriver, threeBarrier, "driver vs barrier protocol on local[3]");
        String float64 = train("l3-driver-64", "local[3]", "driver", "float64").getString("weights_sha256");
        assertNotEquals(float64, threeDriver, "float32 must compute in float, not round float64's results");
    }
}
