// Datasets that ship with sparkprop, named "builtin:<name>[?key=value&...]", for demos and smoke tests.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * <ul>
 *   <li>{@code builtin:wheat-seeds} — 210 wheat kernels × 7 geometric features, 3 varieties (classes "1".."3").
 *       From the UCI Machine Learning Repository "seeds" dataset, M. Charytanowicz, J. Niewczas, P. Kulczycki,
 *       P. A. Kowalski, S. Łukasik, S. Żak, licensed CC BY 4.0.</li>
 *   <li>{@code builtin:spirals[?points=100&classes=3&noise=0.2]} — the CS231n spiral: K interleaved arms that no
 *       linear classifier separates, generated from the seed so a run is reproducible.</li>
 * </ul>
 */
public final class Builtins {
    public static final String PREFIX = "builtin:";
    static final String WHEAT_RESOURCE = "/datasets/wheat-seeds.csv";

    private Builtins() {
    }

    public static boolean isBuiltin(String path) {
        return path != null && path.strip().startsWith(PREFIX);
    }

    /**
     * @param spec         "builtin:name" with optional "?key=value&..." parameters
     * @param seed         for generated datasets
     * @param knownClasses a saved model's classes, or null
     */
    public static Dataset load(String spec, long seed, List<String> knownClasses) {
        String body = spec.strip().substring(PREFIX.length());
        int q = body.indexOf('?');
        String name = q < 0 ? body : body.substring(0, q);
        Map<String, String> params = parameters(spec, q < 0 ? "" : body.substring(q + 1));
        switch (name) {
            case "wheat-seeds":
                allowOnly(spec, params, Set.of());
                return wheatSeeds(knownClasses);
            case "spirals":
                allowOnly(spec, params, Set.of("points", "classes", "noise"));
                int points = positiveInt(spec, params, "points", 100);
                int classes = positiveInt(spec, params, "classes", 3);
                if (classes < 2) {
                    throw new UserError(spec + ": classes must be at least 2, got " + classes);
                }
                double noise = nonNegative(spec, params, "noise", 0.2);
                return ClassLabels.remap(spirals(points, classes, noise, seed), knownClasses, spec);
            default:
                throw new UserError(spec + ": unknown builtin dataset \"" + name + "\"; known: wheat-seeds, spirals");
        }
    }

    /** The bundled seeds CSV, read from the classpath with the ordinary {@link CsvReader}. */
    public static Dataset wheatSeeds(List<String> knownClasses) {
        InputStream resource = Builtins.class.getResourceAsStream(WHEAT_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("resource " + WHEAT_RESOURCE + " is missing from the classpath");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resource, StandardCharsets.UTF_8))) {
            return new CsvReader(null, true, knownClasses, null, SkipLog.failing()).read(PREFIX + "wheat-seeds", in);
        } catch (IOException e) {
            throw Inputs.ioError(PREFIX + "wheat-seeds", e);
        }
    }

    /**
     * For class j: radius r = linspace(0, 1, N), angle t = linspace(4j, 4(j+1), N) + 0.2·gaussian, point
     * (r sin t, r cos t) — as in the CS231n notes, with {@code noise} in place of 0.2. Rows are grouped by class.
     */
    public static Dataset spirals(int pointsPerClass, int classes, double noise, long seed) {
        if ((long) pointsPerClass * classes > 10_000_000L) {
            throw new UserError(PREFIX + "spirals: " + pointsPerClass + " points × " + classes
                    + " classes is more than the 10 million rows this generator makes");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int rows = pointsPerClass * classes;
        double[] x = new double[rows * 2];
        double[] y = new double[rows];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < classes; j++) {
            names.add(Integer.toString(j));
            for (int i = 0; i < pointsPerClass; i++) {
                double u = pointsPerClass == 1 ? 0.0 : (double) i / (pointsPerClass - 1);
                double r = u;
                double t = 4.0 * j + 4.0 * u + random.nextGaussian() * noise;
                int row = j * pointsPerClass + i;
                x[2 * row] = r * Math.sin(t);
                x[2 * row + 1] = r * Math.cos(t);
                y[row] = j;
            }
        }
        return new Dataset(rows, 2, 1, x, y, names);
    }

    private static Map<String, String> parameters(String spec, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isBlank()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserError(spec + ": malformed parameter \"" + pair + "\"; expected key=value");
            }
            params.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return params;
    }

    private static void allowOnly(String spec, Map<String, String> params, Set<String> known) {
        for (String key : params.keySet()) {
            if (!known.contains(key)) {
                throw new UserError(spec + ": unknown parameter \"" + key + "\""
                        + (known.isEmpty() ? "; this dataset takes none" : "; known: " + String.join(", ",
                        known.stream().sorted().toList())));
            }
        }
    }

    private static int positiveInt(String spec, Map<String, String> params, String key, int fallback) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the others
        }
        throw new UserError(spec + ": " + key + " must be a positive whole number, got \"" + v + "\"");
    }

    private static double nonNegative(String spec, Map<String, String> params, String key, double fallback) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        double d = Numbers.parseOrNaN(v);
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new UserError(spec + ": " + key + " must be a non-negative number, got \"" + v + "\"");
        }
        return d;
    }
}
