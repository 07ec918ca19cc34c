// OUT/curves.png: training and validation loss, and validation accuracy (or R²), against epoch.
package io.sparkprop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import io.sparkprop.trainer.train.EpochRecord;

/** Two charts side by side in one PNG, drawn headless with XChart; written under a temp name, then renamed. */
public final class Curves {
    private Curves() {
    }

    static void write(Path png, List<EpochRecord> history, boolean classification) {
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
        savePng(png, List.of(loss, acc));
    }

    /** Charts side by side in one PNG, written under a temporary name and renamed into place. */
    public static void savePng(Path png, List<XYChart> charts) {
        try {
            Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            // saveBitmap appends the extension to the name it is given.
            Path written = tmp.resolveSibling(tmp.getFileName() + ".png");
            Files.move(written, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
