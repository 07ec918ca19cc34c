// What the event log says about one trial: its rung results, its status, its best metric and its cost.
package io.sparkprop.trainer.sweep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;

/**
 * Rebuilt by replaying trials.jsonl, then kept current as the runner appends events, so a rerun and the run
 * itself decide from the same facts. The last terminal event wins: a trial pruned earlier and promoted after
 * the sweep grew ends as finished.
 */
public final class TrialRecord {
    public enum Status { PENDING, INTERRUPTED, PAUSED, FINISHED, PRUNED, FAILED }

    private final Map<Integer, Double> rungMetric = new HashMap<>();
    private Status status = Status.PENDING;
    private double metric = Double.NaN;
    private int bestEpoch;
    private int epochs;
    private double seconds;
    private String error = "";

    /** Replays {@code events} into one record per trial id. */
    public static Map<String, TrialRecord> replay(List<Config> events) {
        Map<String, TrialRecord> out = new HashMap<>();
        for (Config e : events) {
            out.computeIfAbsent(e.getString("trial"), k -> new TrialRecord()).apply(e);
        }
        return out;
    }

    synchronized void apply(Config e) {
        switch (e.getString("event")) {
            case "started" -> status = Status.INTERRUPTED; // until a rung or a terminal event says otherwise
            case "rung" -> {
                int at = e.getInt("epochs");
                rungMetric.put(at, number(e, "metric"));
                seconds += number(e, "seconds");
                epochs = Math.max(epochs, at);
                metric = number(e, "metric");
                bestEpoch = e.hasPath("best_epoch") ? e.getInt("best_epoch") : at;
                status = Status.PAUSED;
            }
            case "finished" -> {
                status = Status.FINISHED;
                metric = number(e, "metric");
                bestEpoch = e.getInt("best_epoch");
                epochs = e.getInt("epochs");
            }
            case "pruned" -> status = Status.PRUNED;
            case "failed" -> {
                status = Status.FAILED;
                error = e.hasPath("error") ? e.getString("error") : "";
            }
            default -> {
                // "epoch" events are for readers and plots; they decide nothing
            }
        }
    }

    private static double number(Config e, String key) {
        return e.hasPath(key) ? e.getDouble(key) : Double.NaN;
    }

    public synchronized boolean hasRung(int epochs) {
        return rungMetric.containsKey(epochs);
    }

    public synchronized double rungMetric(int epochs) {
        return rungMetric.getOrDefault(epochs, Double.NaN);
    }

    public synchronized Status status() {
        return status;
    }

    /** The best value so far (finished: over the whole run). */
    public synchronized double metric() {
        return metric;
    }

    public synchronized int bestEpoch() {
        return bestEpoch;
    }

    public synchronized int epochs() {
        return epochs;
    }

    /** Training seconds summed over the segments that completed. */
    public synchronized double seconds() {
        return seconds;
    }

    public synchronized String error() {
        return error;
    }
}
