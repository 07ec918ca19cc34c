// Reads the sparse libsvm/svmlight text format ("label idx:val idx:val ...") into a dense Dataset.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Indices are 1-based and strictly ascending within a line; absent features are 0. The feature count is the
 * given {@code numFeatures} (a larger index is an error) or else the largest index seen in the file — so a test
 * file read for a trained model should pass the model's count. {@code qid:} tokens (ranking data) are ignored,
 * and anything after '#' on a line is a comment. A width whose dense table would take more than half the heap
 * (an index near 10⁹, say) is refused naming the line that set it.
 */
public final class LibsvmReader {
    private final int numFeatures;
    private final boolean classification;
    private final List<String> knownClasses;
    private final SkipLog skips;

    /** @param numFeatures the feature count, or ≤ 0 to use the largest index in the file */
    public LibsvmReader(int numFeatures, boolean classification, List<String> knownClasses, SkipLog skips) {
        this.numFeatures = Math.max(0, numFeatures);
        this.classification = classification;
        this.knownClasses = knownClasses;
        this.skips = skips == null ? SkipLog.failing() : skips;
    }

    public Dataset read(Path file) {
        String name = file.toString();
        try (BufferedReader in = Inputs.reader(file, name)) {
            return read(name, in);
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
    }

    /** Reads everything from {@code in}; {@code name} is used in messages as {@code name:line}. */
    public Dataset read(String name, BufferedReader in) {
        return read(name, in, 0, false);
    }

    /**
     * Reads one chunk of a larger file (a Spark input split): {@code linesBefore} lines precede it, so messages
     * name the file's own line numbers, and {@code mayBeEmpty} accepts a chunk without rows.
     */
    public Dataset read(String name, BufferedReader in, long linesBefore, boolean mayBeEmpty) {
        // Sparse until the end, because the width is only known once every line has been seen.
        Growable.Ints rowStart = new Growable.Ints();
        Growable.Ints index = new Growable.Ints();
        Growable.Doubles value = new Growable.Doubles();
        Targets targets = new Targets(classification, knownClasses);
        Growable.Ints rowIndex = new Growable.Ints();
        final Growable.Doubles rowValue = new Growable.Doubles();
        int maxIndex = 0;
        long maxIndexLine = 0;
        long lineNo = linesBefore;
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty()) {
                    continue;
                }
                rowIndex.clear();
                rowValue.clear();
                String label;
                try {
                    label = parseLine(text, rowIndex, rowValue, name, lineNo);
                } catch (UserError e) {
                    skips.reject(e, lineNo);
                    continue;
                }
                targets.add(label, name, lineNo);
                rowStart.add(index.size());
                for (int k = 0; k < rowIndex.size(); k++) {
                    index.add(rowIndex.get(k));
                    value.add(rowValue.get(k));
                    if (rowIndex.get(k) > maxIndex) {
                        maxIndex = rowIndex.get(k);
                        maxIndexLine = lineNo;
                    }
                }
            }
        } catch (IOException e) {
            throw Inputs.ioError(name, e);
        }
        int rows = rowStart.size();
        if (rows == 0 && !mayBeEmpty) {
            throw new UserError(name + ": no data rows" + skips.suffix());
        }
        int features = numFeatures > 0 ? numFeatures : maxIndex;
        if (features == 0 && rows > 0) {
            throw new UserError(name + ": no features: no line has an index:value pair");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if ((long) rows * features > Integer.MAX_VALUE - 8 || 8.0 * rows * features > heap / 2.0) {
            // Refused here, with the line that set the width: past this point the dense table (and its scaled copy)
            // would end in an OutOfMemoryError, which on a Spark executor ends the JVM.
            String where = numFeatures > 0 ? name + ": data.num-features = " + numFeatures
                    : name + ":" + maxIndexLine + ": index " + maxIndex;
            throw new UserError(String.format("%s makes a dense table of %,d rows × %,d features (%.1f GB), more"
                    + " than half of this JVM's heap (%.1f GB) or one array; check the index (or set"
                    + " data.num-features), or give the JVM more heap", where, rows, features, 8e-9 * rows * features,
                    heap / 1e9));
        }
        double[] x = new double[rows * features];
        for (int r = 0; r < rows; r++) {
            int end = r + 1 < rows ? rowStart.get(r + 1) : index.size();
            for (int k = rowStart.get(r); k < end; k++) {
                x[r * features + index.get(k) - 1] = value.get(k);
            }
        }
        return targets.dataset(rows, features, x);
    }

    /** Parses the pairs of one line into {@code idx}/{@code val} and returns its label token. */
    private String parseLine(String text, Growable.Ints idx, Growable.Doubles val, String name, long line) {
        String[] tokens = text.split("\\s+");
        String label = tokens[0];
        if (label.indexOf(':') >= 0) {
            throw UserError.at(name, line, "line starts with \"" + label + "\"; expected a label before the index:value"
                    + " pairs");
        }
        if (!classification && !Double.isFinite(Numbers.parseOrNaN(label))) {
            throw UserError.at(name, line, "label: " + Numbers.whyNotFinite(label) + "; regression needs numeric labels");
        }
        int previous = 0;
        for (int k = 1; k < tokens.length; k++) {
            String token = tokens[k];
            int colon = token.indexOf(':');
            if (colon <= 0 || colon == token.length() - 1) {
                throw UserError.at(name, line, "malformed pair \"" + token + "\"; expected index:value");
            }
            String indexText = token.substring(0, colon);
            if (indexText.equals("qid")) {
                continue;
            }
            int i;
            try {
                i = Integer.parseInt(indexText);
            } catch (NumberFormatException e) {
                throw UserError.at(name, line, "malformed pair \"" + token + "\"; the index must be a whole number");
            }
            if (i <= 0) {
                throw UserError.at(name, line, "index " + i + " in \"" + token + "\"; libsvm indices start at 1");
            }
            if (i <= previous) {
                throw UserError.at(name, line, "index " + i + " after index " + previous
                        + "; indices must be strictly ascending");
            }
            if (numFeatures > 0 && i > numFeatures) {
                throw UserError.at(name, line, "index " + i + " exceeds the " + numFeatures + " features expected");
            }
            String valueText = token.substring(colon + 1);
            double v = Numbers.parseOrNaN(valueText);
            if (!Double.isFinite(v)) {
                throw UserError.at(name, line, "feature " + i + ": " + Numbers.whyNotFinite(valueText));
            }
            idx.add(i);
            val.add(v);
            previous = i;
        }
        return label;
    }
}
