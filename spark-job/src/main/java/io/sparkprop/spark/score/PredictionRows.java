// The CSV form of predictions, shared by the local and the Spark predict: label then p_<class>, or the values
// (one column per target for a model trained on several).
package io.sparkprop.spark.score;

import java.util.List;

import io.sparkprop.trainer.eval.Metrics;

public final class PredictionRows {
    private PredictionRows() {
    }

    /**
     * @param targets the target columns of a model trained on several (one output each), or null: multi-label
     *                rows get a 0/1 decision per label, then p_label per label; several real targets one value
     *                each, named by the column
     */
    public static String header(List<String> classes, int k, List<String> targets) {
        StringBuilder sb = new StringBuilder();
        if (targets != null && targets.size() == k) {
            for (String t : targets) sb.append(sb.length() == 0 ? "" : ",").append(t);
            if (classes != null) {
                for (String t : targets) sb.append(",p_").append(t);
            }
            return sb.toString();
        }
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
    public static String row(double[] p, int c, int k, List<String> classes, List<String> targets) {
        StringBuilder sb = new StringBuilder();
        if (classes != null && targets != null && targets.size() == k) {
            for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(p[c * k + j] > 0.5 ? 1 : 0);
            for (int j = 0; j < k; j++) sb.append(',').append(p[c * k + j]);
            return sb.toString();
        }
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
