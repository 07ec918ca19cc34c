// Maps class labels as spelled in a data file ("setosa", "1", "2.0", "+1") to 0-based class indices.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one label per row. Labels that are numbers compare by value, so "1", "1.0" and "+1" are one class
 * (named by the first spelling seen). With {@code knownClasses} (a saved model's classes) the model's order is
 * kept and an unseen label fails; otherwise classes are sorted numerically when every label is a number, else
 * lexicographically, so the same file always yields the same indices.
 */
public final class ClassLabels {
    private final List<String> known;
    private final Map<String, Integer> idOfKey = new HashMap<>();
    private final List<String> spellings = new ArrayList<>();
    private final Growable.Ints ids = new Growable.Ints();

    /** @param knownClasses the model's class names in index order, or null to discover them */
    ClassLabels(List<String> knownClasses) {
        this.known = knownClasses == null ? null : List.copyOf(knownClasses);
        if (known != null) {
            for (int c = 0; c < known.size(); c++) {
                idOfKey.putIfAbsent(key(known.get(c)), c);
            }
            spellings.addAll(known);
        }
    }

    /** Identity of a label: numbers by value (with -0 = 0), anything else by its exact text. */
    static String key(String label) {
        double v = Numbers.parseOrNaN(label);
        if (Double.isFinite(v)) {
            return "#" + (v == 0.0 ? 0.0 : v);
        }
        return "'" + label;
    }

    /** Records the label of the next row; fails (naming file:line) on a label the model does not know. */
    void add(String label, String file, long line) {
        Integer id = idOfKey.get(key(label));
        if (id == null) {
            if (known != null) {
                throw UserError.at(file, line, "label \"" + label + "\" is not one of the model's classes "
                        + listed(known));
            }
            id = spellings.size();
            idOfKey.put(key(label), id);
            spellings.add(label);
        }
        ids.add(id);
    }

    int rows() {
        return ids.size();
    }

    /** Class names in index order; call after the last {@link #add}. */
    List<String> names() {
        return known != null ? known : sortedSpellings();
    }

    /** The class index of every row, as doubles for {@link Dataset#y}. */
    double[] y() {
        int[] rank = new int[spellings.size()];
        if (known == null) {
            List<String> sorted = sortedSpellings();
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < sorted.size(); i++) {
                position.put(sorted.get(i), i);
            }
            for (int id = 0; id < spellings.size(); id++) {
                rank[id] = position.get(spellings.get(id));
            }
        } else {
            Arrays.setAll(rank, id -> id);
        }
        double[] y = new double[ids.size()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rank[ids.get(r)];
        }
        return y;
    }

    /**
     * The classes of a file read in chunks: the union of each chunk's class names (one spelling per class, the
     * first seen), in the order a single reader would give them.
     */
    public static List<String> union(List<List<String>> chunks) {
        ClassLabels all = new ClassLabels(null);
        for (List<String> names : chunks) {
            for (String n : names) {
                if (!all.idOfKey.containsKey(key(n))) {
                    all.idOfKey.put(key(n), all.spellings.size());
                    all.spellings.add(n);
                }
            }
        }
        return all.sortedSpellings();
    }

    /** Index of {@code label} among {@code classes}, matching numbers by value ("1" = "1.0"); −1 if absent. */
    public static int indexIn(List<String> classes, String label) {
        String k = key(label);
        for (int i = 0; i < classes.size(); i++) {
            if (key(classes.get(i)).equals(k)) {
                return i;
            }
        }
        return -1;
    }

    private List<String> sortedSpellings() {
        List<String> sorted = new ArrayList<>(spellings);
        boolean allNumeric = sorted.stream().allMatch(s -> Double.isFinite(Numbers.parseOrNaN(s)));
        sorted.sort(allNumeric ? Comparator.comparingDouble(Numbers::parseOrNaN) : Comparator.naturalOrder());
        return sorted;
    }

    /**
     * Re-indexes a dataset whose classes are already named (IDX digits, builtins) to a model's classes.
     * {@code source} names the data in the error when a class occurring in it is unknown to the model.
     */
    static Dataset remap(Dataset d, List<String> knownClasses, String source) {
        if (knownClasses == null || !d.hasClassIndex() || d.classNames.equals(knownClasses)) {
            return d;
        }
        ClassLabels target = new ClassLabels(knownClasses);
        int[] to = new int[d.numClasses()];
        Arrays.fill(to, -1);
        for (int c = 0; c < to.length; c++) {
            Integer id = target.idOfKey.get(key(d.classNames.get(c)));
            to[c] = id == null ? -1 : id;
        }
        double[] y = new double[d.rows];
        for (int r = 0; r < d.rows; r++) {
            int c = d.label(r);
            if (to[c] < 0) {
                throw new UserError(source + ": row " + (r + 1) + ": label \"" + d.classNames.get(c)
                        + "\" is not one of the model's classes " + listed(knownClasses));
            }
            y[r] = to[c];
        }
        return new Dataset(d.rows, d.features, d.targets, d.x, y, knownClasses).withWeights(d.w);
    }

    /** "(a, b, c)", shortened for models with very many classes so the message stays one readable line. */
    static String listed(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String head = String.join(", ", names.subList(0, shown));
        return "(" + head + (shown < names.size() ? ", … " + (names.size() - shown) + " more" : "") + ")";
    }
}
