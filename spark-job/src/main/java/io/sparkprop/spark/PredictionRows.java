// The CSV form of predictions, shared by the local and the Spark predict: label then p_<class>, or the values.
package io.sparkprop.spark;

import java.util.List;

import io.sparkprop.trainer.eval.Metrics;

public final class PredictionRows {
    private PredictionRows() {
    }

    public static String header(List<String> classes, int k) {
        StringBuilder sb = new StringBuilder();
        if (classes == null) {
            sb.append("prediction");
            for (int j = 1; j < k; j++) sb.append(",prediction_").append(j);
            return sb.toString();
        }
        sb.append("label");
        for (String c : classes) sb.append(",p_").append(c);
        return sb.toString();
    }

    /** Column c of predictions p (k × n). */
    public static String row(double[] p, int c, int k, List<String> classes) {
        StringBuilder sb = new StringBuilder();
        if (classes == null) {
            for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(p[c * k + j]);
            return sb.toString();
        }
        sb.append(classes.get(Metrics.argmax(p, c, k)));
        if (k == 1) { // a single sigmoid unit: p is the probability of the second class
            return sb.append(',').append(1 - p[c]).append(',').append(p[c]).toString();
        }
        for (int j = 0; j < k; j++) sb.append(',').append(p[c * k + j]);
        return sb.toString();
    }
}
