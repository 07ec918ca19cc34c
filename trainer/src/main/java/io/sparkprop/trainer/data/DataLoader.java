// The one entry point for reading training or evaluation data: picks the reader and checks the result.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@link #load} resolves the path (plain, {@code file:} URI or {@code builtin:}), chooses the format when it is
 * "auto", runs the reader, and then checks what no single reader can: the expected feature count and that a
 * classifier has at least two classes to tell apart.
 */
public final class DataLoader {
    private DataLoader() {
    }

    public static Loaded load(DataSpec spec) {
        String path = spec.path() == null ? "" : spec.path().strip();
        if (path.isEmpty()) {
            throw new UserError("data path is empty");
        }
        if (spec.format() == DataFormat.PARQUET) {
            throw new UserError(path + ": unknown format \"" + spec.format() + "\"; expected auto, csv, libsvm or idx");
        }
        SkipLog skips = spec.onBadRow().log();
        Dataset d;
        List<String> header = null;
        String format;
        if (Builtins.isBuiltin(path)) {
            format = "builtin";
            d = Builtins.load(path, spec.seed(), spec.classification() ? spec.knownClasses() : null);
        } else {
            Path file = localPath(path);
            String name = file.toString();
            DataFormat read = spec.format() == DataFormat.AUTO ? detectFormat(file, name) : spec.format();
            format = read.id();
            switch (read) {
                case CSV: {
                    CsvReader reader = new CsvReader(spec.labelColumn(), spec.classification(), spec.knownClasses(),
                            spec.expectedHeader(), skips).weightColumn(spec.weightColumn());
                    d = reader.read(file);
                    header = reader.header();
                    break;
                }
                case LIBSVM:
                    d = new LibsvmReader(spec.numFeatures(), spec.classification(), spec.knownClasses(), skips)
                            .read(file);
                    break;
                default: { // IDX: auto is resolved by now and parquet refused above
                    Path labels = spec.labelsPath() == null || spec.labelsPath().isBlank() ? null
                            : localPath(spec.labelsPath().strip());
                    d = IdxReader.read(file, labels, spec.classification() ? spec.knownClasses() : null);
                    break;
                }
            }
            path = name;
        }
        if (!spec.weightColumn().isEmpty() && d.w == null) {
            throw new UserError("data.weight-column: \"" + spec.weightColumn() + "\" names a CSV column; " + path
                    + " is " + format + " without columns (weights need CSV input, or Parquet on Spark)");
        }
        if (new TargetColumns(spec.labelColumn()).count() > d.targets) {
            throw new UserError("data.label-column: several target columns need CSV input; " + path + " is "
                    + format + " with one label per row");
        }
        if (!spec.classification() && d.isClassification()) {
            d = asRegression(d);
        }
        if (spec.numFeatures() > 0 && d.features != spec.numFeatures()) {
            throw new UserError(path + ": " + d.features + " features per row, expected " + spec.numFeatures());
        }
        if (d.isClassification() && d.targets == 1 && spec.knownClasses() == null) {
            requireTwoClasses(d, path);
        }
        return new Loaded(d, format, skips.count(), skips.firstLines(), header);
    }

    /** A plain path, or a {@code file:} URI ({@code file:///abs}, {@code file:/abs} or {@code file:relative}). */
    static Path localPath(String path) {
        try {
            if (path.startsWith("file:")) {
                try {
                    URI uri = new URI(path);
                    if (!uri.isOpaque() && uri.getAuthority() == null) {
                        return Path.of(uri);
                    }
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a well-formed URI (spaces, say): fall back to stripping the scheme
                }
                String rest = path.substring("file:".length());
                return Path.of(rest.startsWith("///") ? rest.substring(2) : rest);
            }
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new UserError(path + ": not a valid file path (" + e.getReason() + ")");
        }
    }

    /**
     * By name first (".csv"/".tsv", ".libsvm"/".svm"/".svmlight", "idx" or "-ubyte" in it; a ".gz" suffix is
     * looked through), else by content: IDX magic bytes, then "index:value" tokens for libsvm, else CSV.
     */
    static DataFormat detectFormat(Path file, String name) {
        String base = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (base.endsWith(".gz")) {
            base = base.substring(0, base.length() - 3);
        }
        if (base.endsWith(".csv") || base.endsWith(".tsv")) {
            return DataFormat.CSV;
        }
        if (base.endsWith(".libsvm") || base.endsWith(".svm") || base.endsWith(".svmlight")) {
            return DataFormat.LIBSVM;
        }
        if (base.contains("idx") || base.contains("-ubyte")) {
            return DataFormat.IDX;
        }
        return sniff(file, name);
    }

    private static DataFormat sniff(Path file, String name) {
        try (InputStream in = Inputs.open(file, name)) {
            byte[] head = in.readNBytes(4);
            if (head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && (head[3] == 1 || head[3] == 3)) {
                return DataFormat.IDX;
            }
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
        try (BufferedReader in = Inputs.reader(file, name)) {
            for (String line; (line = in.readLine()) != null; ) {
                String text = line.strip();
                if (text.isEmpty() || text.charAt(0) == '#') {
                    continue;
                }
                return looksLikeLibsvm(text) ? DataFormat.LIBSVM : DataFormat.CSV;
            }
            return DataFormat.CSV;
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
    }

    /** A label followed by at least one token, every one of them "digits:something". */
    static boolean looksLikeLibsvm(String line) {
        int hash = line.indexOf('#');
        String[] tokens = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+");
        if (tokens.length < 2 || tokens[0].contains(",")) {
            return false;
        }
        for (int k = 1; k < tokens.length; k++) {
            if (!tokens[k].matches("(\\d+|qid):\\S*")) {
                return false;
            }
        }
        return true;
    }

    /** Regression on data whose labels were read as classes (digits, builtins): the label's numeric value. */
    private static Dataset asRegression(Dataset d) {
        double[] y = new double[d.rows];
        for (int r = 0; r < d.rows; r++) {
            y[r] = Numbers.parse(d.classNames.get(d.label(r)));
        }
        return new Dataset(d.rows, d.features, 1, d.x, y, null).withWeights(d.w);
    }

    private static void requireTwoClasses(Dataset d, String name) {
        boolean[] seen = new boolean[d.numClasses()];
        int present = 0;
        int first = -1;
        for (int r = 0; r < d.rows && present < 2; r++) {
            int c = d.label(r);
            if (!seen[c]) {
                seen[c] = true;
                present++;
                first = first < 0 ? c : first;
            }
        }
        if (present < 2) {
            throw new UserError(name + ": only one class (label " + d.classNames.get(first)
                    + ") found; a classifier needs at least two");
        }
    }
}
