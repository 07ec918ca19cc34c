// OUT/sweep.png: the metric of every trial (by plan order, marked by status) and the trials' learning curves.
package io.sparkprop.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.sparkprop.trainer.sweep.Leaderboard;
import io.sparkprop.trainer.sweep.Metric;
import io.sparkprop.trainer.sweep.Trial;
import io.sparkprop.trainer.sweep.TrialRecord;
import io.sparkprop.trainer.train.EpochRecord;

/** Learning curves are drawn for the best {@link #CURVES} trials only: more lines are unreadable. */
public final class SweepPlot {
    static final int CURVES = 10;

    private SweepPlot() {
    }

    public static void write(Path png, Metric metric, Leaderboard board, Map<Trial, List<EpochRecord>> curves) {
        System.setProperty("java.awt.headless", "true");
        XYChart byTrial = new XYChartBuilder().width(640).height(420).title(metric.name() + " by trial")
                .xAxisTitle("trial (plan order)").yAxisTitle(metric.name()).build();
        byTrial.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        for (TrialRecord.Status s : TrialRecord.Status.values()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Leaderboard.Row r : board.rows()) {
                if (r.record().status() == s && !Double.isNaN(r.record().metric())) {
                    x.add((double) r.trial().index());
                    y.add(r.record().metric());
                }
            }
            if (!x.isEmpty()) {
                byTrial.addSeries(s.name().toLowerCase(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        // Curves of the per-epoch metric when there is one, else of the training loss.
        Metric shown = metric.perEpoch() ? metric : new Metric("train_loss", false);
        XYChart learning = new XYChartBuilder().width(640).height(420).title("learning curves (best " + CURVES + ")")
                .xAxisTitle("epoch").yAxisTitle(shown.name()).build();
        learning.getStyler().setMarkerSize(0);
        int drawn = 0;
        for (Leaderboard.Row r : board.rows()) {
            List<EpochRecord> h = curves.getOrDefault(r.trial(), List.of());
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochRecord e : h) {
                if (!Double.isNaN(shown.of(e))) {
                    x.add((double) e.epoch());
                    y.add(shown.of(e));
                }
            }
            if (!x.isEmpty() && drawn < CURVES) {
                learning.addSeries("#" + r.rank() + " " + r.trial().id(), x, y);
                drawn++;
            }
        }
        if (byTrial.getSeriesMap().isEmpty() || learning.getSeriesMap().isEmpty()) {
            return; // nothing trained yet: no picture rather than an empty one
        }
        Png.save(png, List.of(byTrial, learning));
    }
}
