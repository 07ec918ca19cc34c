// The trials of a sweep: grid expansion or seeded random draws over the parameters, applied to the base config.
package io.sparkprop.trainer.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.ConfigLoader;
import io.sparkprop.trainer.config.ConfigText;
import io.sparkprop.trainer.config.TrainConfig;

/**
 * Every trial's config is validated here, so a bad value in a list fails the sweep before anything trains.
 * A trial's id depends only on its config, never on its position, so adding grid values or raising
 * {@code trials} (random draws are prefix-stable) adds new ids and keeps the old ones: the log tells what ran.
 */
public final class Trials {
    /** A grid larger than this is surely a mistake (and the plan alone would exhaust memory). */
    static final long MAX_TRIALS = 100_000;
    /** Random draws that repeat an earlier trial are skipped; give up after this many draws per trial. */
    static final int DRAWS_PER_TRIAL = 50;

    private Trials() {
    }

    /** The trials of {@code base}'s sweep block, in plan order; duplicates (same id) appear once. */
    public static List<Trial> plan(Config base, SweepSpec spec) {
        List<Trial> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (spec.method == SweepSpec.Method.GRID) {
            long n = 1;
            for (Param p : spec.parameters) {
                n *= p.values().size();
                if (n > MAX_TRIALS) {
                    throw new UserError("sweep.parameters: the grid has more than " + MAX_TRIALS + " trials");
                }
            }
            for (Map<String, ConfigValue> values : grid(spec.parameters)) {
                add(out, seen, trial(base, out.size(), values, spec.metric));
            }
        } else {
            long limit = (long) spec.trials * DRAWS_PER_TRIAL;
            for (int i = 0; out.size() < spec.trials && i < limit; i++) {
                Trial t = trial(base, i, draw(spec.parameters, spec.seed, i), spec.metric);
                add(out, seen, t);
            }
        }
        return out;
    }

    private static void add(List<Trial> out, Set<String> seen, Trial t) {
        if (seen.add(t.id())) {
            out.add(t);
        }
    }

    /** The Cartesian product in odometer order: the first parameter (by path) varies slowest, the last fastest. */
    public static List<Map<String, ConfigValue>> grid(List<Param> params) {
        List<Map<String, ConfigValue>> out = new ArrayList<>();
        int[] digit = new int[params.size()];
        while (true) {
            Map<String, ConfigValue> m = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                m.put(params.get(i).path, params.get(i).values().get(digit[i]));
            }
            out.add(m);
            int i = params.size() - 1;
            while (i >= 0 && ++digit[i] == params.get(i).values().size()) {
                digit[i--] = 0;
            }
            if (i < 0) {
                return out;
            }
        }
    }

    /**
     * Random trial {@code i}: its own generator seeded from (seed, i), parameters drawn in path order, so draw
     * i is the same whatever came before it, and a restart or a larger {@code trials} reproduces it exactly.
     */
    public static Map<String, ConfigValue> draw(List<Param> params, long seed, int i) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        Map<String, ConfigValue> m = new LinkedHashMap<>();
        for (Param p : params) {
            m.put(p.path, p.sample(rnd));
        }
        return m;
    }

    /** The base config (without its sweep block) with {@code values} set, validated, and its id. */
    public static Trial trial(Config base, int index, Map<String, ConfigValue> values, Metric metric) {
        Config c = base.withoutPath(ConfigLoader.SWEEP);
        for (var e : values.entrySet()) {
            c = LayerField.matches(e.getKey()) ? LayerField.apply(c, e.getKey(), e.getValue())
                    : c.withValue(e.getKey(), e.getValue());
        }
        Trial draft = new Trial(index, "", values, c, null);
        TrainConfig cfg = validated(c, draft);
        metric.checkAvailable(cfg, draft.describe());
        String id = id(cfg.config());
        // Checkpoints are how trials pause and resume: each trial keeps them in its own directory, and a
        // config without them (every-epochs = 0) gets one per epoch. This changes nothing that is trained.
        Config run = cfg.config().withValue("checkpoint.dir", ConfigValueFactory.fromAnyRef(""));
        if (cfg.checkpointEvery() == 0) {
            run = run.withValue("checkpoint.every-epochs", ConfigValueFactory.fromAnyRef(1));
        }
        return new Trial(index, id, values, cfg.config(), validated(run, draft));
    }

    /** The id of a resolved trial config: 12 hex digits of its canonical hash, sweep block excluded. */
    public static String id(Config config) {
        return ConfigText.canonicalHash(config.withoutPath(ConfigLoader.SWEEP)).substring(0, 12);
    }

    private static TrainConfig validated(Config c, Trial draft) {
        try {
            return TrainConfig.from(c);
        } catch (UserError e) {
            throw new UserError("sweep trial " + draft.describe() + ": " + e.getMessage(), e);
        }
    }
}
