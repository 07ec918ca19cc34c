// Tests for Splits: seeded permutations, stratified hold-out, and k-fold coverage.
package io.sparkprop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.trainer.UserError;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** n rows whose single feature is the row number, so rows can be identified after splitting. */
    private static Dataset numbered(int n, int classes) {
        double[] x = new double[n];
        double[] y = new double[n];
        List<String> names = classes == 0 ? null : java.util.stream.IntStream.range(0, classes)
                .mapToObj(Integer::toString).toList();
        for (int r = 0; r < n; r++) {
            x[r] = r;
            y[r] = classes == 0 ? r * 0.5 : (r < n / 5 ? 0 : 1 + r % (classes - 1));
        }
        return new Dataset(n, 1, 1, x, y, names);
    }

    private static Set<Double> rows(Dataset d) {
        Set<Double> s = new HashSet<>();
        for (double v : d.x) {
            s.add(v);
        }
        return s;
    }

    @Test
    void permutationIsSeededAndComplete() {
        int[] a = Splits.permutation(1000, 5);
        assertArrayEquals(a, Splits.permutation(1000, 5));
        assertFalse(Arrays.equals(a, Splits.permutation(1000, 6)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(0, Splits.permutation(0, 1).length);
    }

    @Test
    void trainValidationIsDisjointStratifiedAndSeeded() {
        Dataset d = numbered(100, 3);
        Splits.Split s = Splits.trainValidation(d, 0.2, 9);
        assertEquals(80, s.train().rows);
        assertEquals(20, s.test().rows);
        Set<Double> all = rows(s.train());
        all.addAll(rows(s.test()));
        assertEquals(100, all.size());
        int[] held = new int[3];
        for (int r = 0; r < s.test().rows; r++) {
            held[s.test().label(r)]++;
        }
        assertEquals(4, held[0], "class 0 is 20% of the data, so 20% of the validation rows");
        assertArrayEquals(s.test().x, Splits.trainValidation(d, 0.2, 9).test().x);
    }

    @Test
    void trainValidationRegressionAndEdges() {
        Splits.Split s = Splits.trainValidation(numbered(10, 0), 0.25, 1);
        assertEquals(3, s.test().rows);
        assertEquals(7, s.train().rows);
        Splits.Split tiny = Splits.trainValidation(numbered(2, 0), 0.01, 1);
        assertEquals(1, tiny.test().rows);
        assertThrows(IllegalArgumentException.class, () -> Splits.trainValidation(numbered(10, 0), 1.0, 1));
        assertThrows(UserError.class, () -> Splits.trainValidation(numbered(1, 0), 0.5, 1));
    }

    @Test
    void kFoldCoversEveryRowOnceAsTest() {
        for (int classes : new int[] {0, 3}) {
            Dataset d = numbered(53, classes);
            List<Splits.Split> folds = Splits.kFold(d, 5, 11);
            assertEquals(5, folds.size());
            int[] timesTested = new int[53];
            for (Splits.Split f : folds) {
                assertEquals(53, f.train().rows + f.test().rows);
                assertTrue(f.test().rows == 10 || f.test().rows == 11, "balanced fold sizes");
                Set<Double> train = rows(f.train());
                for (double v : f.test().x) {
                    timesTested[(int) v]++;
                    assertFalse(train.contains(v), "a test row is not also a train row");
                }
            }
            for (int t : timesTested) {
                assertEquals(1, t);
            }
        }
    }

    @Test
    void kFoldIsStratifiedAndValidatesK() {
        Dataset d = numbered(100, 2);
        for (Splits.Split f : Splits.kFold(d, 4, 3)) {
            int zeros = 0;
            for (int r = 0; r < f.test().rows; r++) {
                zeros += f.test().label(r) == 0 ? 1 : 0;
            }
            assertEquals(5, zeros);
        }
        assertThrows(UserError.class, () -> Splits.kFold(numbered(3, 0), 4, 1));
        assertThrows(UserError.class, () -> Splits.kFold(numbered(3, 0), 1, 1));
    }
}
