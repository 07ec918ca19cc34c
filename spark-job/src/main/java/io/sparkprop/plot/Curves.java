// OUT/curves.png: training and validation loss, and validation accuracy (or R²), against epoch.
package io.sparkprop.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import io.sparkprop.trainer.train.EpochRecord;

/** Two charts side by side in one PNG, drawn headless with XChart. */
public final class Curves {
    private Curves() {
    }

    public static void write(Path png, List<EpochRecord> history, boolean classification) {
        if (history.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        List<Double> epochs = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> valLoss = new ArrayList<>();
        List<Double> valMetric = new ArrayList<>();
        for (EpochRecord r : history) {
            epochs.add((double) r.epoch());
            train.add(r.trainLoss());
            valLoss.add(r.valLoss());
            valMetric.add(r.valMetric());
        }
        XYChart loss = new XYChartBuilder().width(640).height(420).title("Loss").xAxisTitle("epoch")
                .yAxisTitle("loss").build();
        loss.addSeries("train", epochs, train);
        boolean hasVal = !valLoss.stream().allMatch(v -> v.isNaN());
        if (hasVal) {
            loss.addSeries("validation", epochs, valLoss);
        }
        String metric = classification ? "validation accuracy" : "validation R²";
        XYChart acc = new XYChartBuilder().width(640).height(420).title(metric).xAxisTitle("epoch")
                .yAxisTitle(classification ? "accuracy" : "R²").build();
        if (hasVal) {
            acc.addSeries(metric, epochs, valMetric);
        } else {
            acc.setTitle(metric + " (no validation split)");
            acc.addSeries("train loss", epochs, train);
        }
        Png.save(png, List.of(loss, acc));
    }
}
