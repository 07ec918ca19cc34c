// Which input features are categorical codes, and how many categories each has: what an embedding layer reads.
package io.sparkprop.trainer.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * {@code slots[j]} is the 0-based index of categorical column j in the feature vector, {@code cardinalities[j]}
 * its number of known categories and {@code names[j]} its name (for errors). A code c of column j is valid when it
 * is a whole number in [0, cardinality]: c &lt; cardinality is a known category, c = cardinality is the reserved
 * "unseen" row (StringIndexer's handleInvalid = keep index); anything else is an error naming the column.
 */
public record Categorical(int[] slots, int[] cardinalities, List<String> names) implements Serializable {
    /** No categorical columns. */
    public static final Categorical NONE = new Categorical(new int[0], new int[0], List.of());

    public Categorical {
        if (slots.length != cardinalities.length || slots.length != names.size()) {
            throw new IllegalArgumentException(slots.length + " categorical slots, " + cardinalities.length
                    + " cardinalities and " + names.size() + " names");
        }
        slots = slots.clone();
        cardinalities = cardinalities.clone();
        names = List.copyOf(names);
        for (int j = 0; j < slots.length; j++) {
            if (slots[j] < 0 || cardinalities[j] < 1) {
                throw new IllegalArgumentException("categorical column " + names.get(j) + ": slot " + slots[j]
                        + ", cardinality " + cardinalities[j] + " (expected a slot >= 0 and a cardinality >= 1)");
            }
            for (int i = 0; i < j; i++) {
                if (slots[i] == slots[j]) {
                    throw new IllegalArgumentException("categorical columns " + names.get(i) + " and "
                            + names.get(j) + " are the same feature " + slots[j]);
                }
            }
        }
    }

    /** Columns named by their feature index ("feature 3"), as Spark ML's attribute-less slots are. */
    public static Categorical ofSlots(int[] slots, int[] cardinalities) {
        return new Categorical(slots, cardinalities,
                Arrays.stream(slots).mapToObj(s -> "feature " + s).toList());
    }

    public int count() {
        return slots.length;
    }

    public boolean isEmpty() {
        return slots.length == 0;
    }

    /** True when feature f is one of the categorical columns. */
    public boolean isSlot(int f) {
        for (int s : slots) {
            if (s == f) {
                return true;
            }
        }
        return false;
    }

    /** Table rows of column j: its categories plus the reserved unseen row. */
    public int rows(int j) {
        return cardinalities[j] + 1;
    }

    /**
     * The table row of value v in column j (cardinality for the unseen code), or −1 when v is not a whole number
     * in [0, cardinality].
     */
    public int row(int j, double v) {
        return v >= 0 && v <= cardinalities[j] && v == Math.rint(v) ? (int) v : -1;
    }

    /** The one-line reason value v is not a code of column j. */
    public String badCode(int j, double v) {
        return "categorical column " + names.get(j) + ": value " + v + " is not a category code (expected a whole"
                + " number in [0, " + cardinalities[j] + "]; " + cardinalities[j] + " is the unseen-category row)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Categorical c && Arrays.equals(slots, c.slots)
                && Arrays.equals(cardinalities, c.cardinalities) && names.equals(c.names);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(slots) + Arrays.hashCode(cardinalities);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int j = 0; j < slots.length; j++) {
            b.append(j > 0 ? ", " : "").append(names.get(j)).append('@').append(slots[j]).append(':')
                    .append(cardinalities[j]);
        }
        return b.append(']').toString();
    }
}
