// `sparkprop trace` for a model.layers network: per layer its input → output shape and parameters, then the step's
// predictions, loss and per-layer gradient and weight norms (whole feature maps are too large to print).
package io.sparkprop.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.LayerKind;
import io.sparkprop.trainer.nn.LayerSpec;
import io.sparkprop.trainer.nn.LayerStack;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.nn.Shape;
import io.sparkprop.trainer.train.StepTrace;

/**
 * Layer k of the stack maps boundary shape k to k + 1 (shapes of one example, [c, h, w] or [n]); the last layer
 * is the dense output layer. A weighted layer's W is shown in the shape PyTorch gives it: [F, C, k, k] for
 * conv2d, [out, in] for dense; batch-norm has no W (b holds γ, β, running mean and variance, C each), layer-norm's
 * W and b are γ and β of its input's shape, and an embedding's W is its tables one after another ([rows, dim],
 * one table of cardinality + 1 rows per categorical column). Norms are Euclidean over the layer's slice of the flat vectors.
 */
final class LayerTrace {
    private LayerTrace() {
    }

    /**
     * One map per layer: index, type, input, output, parameters (trainable: batch-norm's γ and β, 2C), a
     * batch-norm layer's running_statistics (2C), W and b dims, and the step's norms.
     */
    static List<Map<String, Object>> layers(StepTrace t) {
        LayerStack s = t.net.stack;
        ParamLayout layout = s.layout();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < s.size(); k++) {
            LayerSpec l = s.layer(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", k == s.size() - 1 ? "output" : k);
            m.put("type", l.kind().configName);
            m.put("input", dims(s.shape(k)));
            m.put("output", dims(s.shape(k + 1)));
            int slot = s.slot(k);
            if (slot < 0) {
                m.put("parameters", 0);
            } else {
                int w = layout.in(slot) * layout.out(slot);
                int b = layout.biasSize(slot);
                int running = 2 * layout.normChannels(slot);
                m.put("parameters", w + b - running);
                if (running > 0) {
                    m.put("running_statistics", running);
                }
                if (l.kind() != LayerKind.BATCH_NORM) {
                    m.put("W", switch (l.kind()) {
                        case CONV2D -> List.of(l.units(), s.shape(k).channels(), l.kernel(), l.kernel());
                        case LAYER_NORM -> dims(s.shape(k));
                        case EMBEDDING -> List.of(layout.in(slot), layout.out(slot));
                        default -> List.of(l.units(), s.shape(k).size());
                    });
                }
                m.put("b", List.of(b));
                m.put("shapes", shapes(l, s, k, b));
                int wo = layout.wOffset(slot);
                int bo = layout.bOffset(slot);
                m.put("W_norm", norm(t.before, wo, w));
                m.put("dW_norm", norm(t.gradSum, wo, w));
                m.put("db_norm", norm(t.gradSum, bo, b));
                m.put("W_norm_after", norm(t.after, wo, w));
            }
            out.add(m);
        }
        return out;
    }

    /** What layer k's W and b hold, in words: the text form's parameter column. */
    private static String shapes(LayerSpec l, LayerStack s, int k, int b) {
        Shape in = s.shape(k);
        return switch (l.kind()) {
            case CONV2D -> "W " + List.of(l.units(), in.channels(), l.kernel(), l.kernel()) + ", b [" + b + "]";
            case BATCH_NORM -> "γ, β [" + b / 4 + "]; running mean/var [" + b / 4 + "]";
            case LAYER_NORM -> "γ, β " + dims(in);
            case EMBEDDING -> {
                Categorical c = s.categorical();
                List<String> tables = new ArrayList<>();
                for (int j = 0; j < c.count(); j++) {
                    tables.add(c.names().get(j) + " [" + c.rows(j) + ", " + l.units() + "]");
                }
                yield "tables " + String.join(", ", tables);
            }
            default -> "W " + List.of(l.units(), in.size()) + ", b [" + b + "]";
        };
    }

    /**
     * The JSON form: network (with its layers), optimizer, rows, predictions, targets (and with weighted rows
     * weights, weight_sum), loss, gradient norm.
     */
    static Map<String, Object> json(TrainConfig cfg, StepTrace t) {
        Network net = t.net;
        int n = t.n();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("input_shape", dims(net.stack.shape(0)));
        network.put("parameters", net.trainableCount());
        network.put("running_statistics", net.runningStatisticsCount());
        network.put("output", net.output.configName);
        network.put("loss", net.loss.configName);
        m.put("network", network);
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", cfg.optimizer().id());
        opt.put("learning_rate", t.learningRate);
        m.put("optimizer", opt);
        List<Integer> rows = new ArrayList<>();
        for (int r : t.rows) rows.add(r);
        m.put("rows", rows);
        m.put("layers", layers(t));
        m.put("predictions", TraceCommand.matrix(t.p, net.outputs(), n, 0));
        m.put("targets", TraceCommand.matrix(t.y, t.targets, n, 0));
        TraceCommand.putWeights(m, t);
        m.put("loss", t.loss);
        m.put("loss_mean", t.lossMean());
        m.put("gradient_norm", t.norm);
        return m;
    }

    static void text(TrainConfig cfg, StepTrace t, PrintStream out) {
        Network net = t.net;
        int n = t.n();
        out.printf("network %s, %s; %s, learning rate %s%n", net, net.countText(), cfg.optimizer(),
                TraceCommand.num(t.learningRate));
        List<Integer> rows = new ArrayList<>();
        for (int r : t.rows) rows.add(r);
        out.printf("batch: %d row(s) of the training split %s%n", n, rows);
        out.println();
        out.println("layers (shapes of one example)");
        out.printf("  %-7s %-9s %-14s %-14s %s%n", "layer", "type", "input", "output", "parameters");
        for (Map<String, Object> l : layers(t)) {
            String params = String.valueOf(l.get("parameters"));
            if (l.containsKey("running_statistics")) {
                params += " + " + l.get("running_statistics") + " running statistics";
            }
            if (l.containsKey("shapes")) {
                params += " (" + l.get("shapes") + ")";
            }
            out.printf("  %-7s %-9s %-14s %-14s %s%n", l.get("layer"), l.get("type"), l.get("input"), l.get("output"),
                    params);
        }
        out.println();
        out.println("forward");
        print(out, "p = " + net.output.configName + "(z) (outputs × rows)", TraceCommand.matrix(t.p, net.outputs(), n,
                0));
        print(out, "y (targets)", TraceCommand.matrix(t.y, t.targets, n, 0));
        TraceCommand.printWeights(out, t);
        TraceCommand.printLoss(out, t);
        out.println();
        out.printf("backward and step: %s on %s (norm %s)%n", cfg.optimizer(), TraceCommand.meanOver(t),
                TraceCommand.num(t.norm));
        for (Map<String, Object> l : layers(t)) {
            if (l.containsKey("W")) {
                out.printf("  layer %s %s: ‖dW‖ %s, ‖db‖ %s, ‖W‖ %s → %s%n", l.get("layer"), l.get("type"),
                        TraceCommand.num((Double) l.get("dW_norm")), TraceCommand.num((Double) l.get("db_norm")),
                        TraceCommand.num((Double) l.get("W_norm")), TraceCommand.num((Double) l.get("W_norm_after")));
            }
        }
    }

    private static void print(PrintStream out, String label, List<List<Double>> rows) {
        out.println("  " + label + ":");
        for (List<Double> r : rows) {
            StringBuilder sb = new StringBuilder("    [");
            for (int i = 0; i < r.size(); i++) sb.append(i == 0 ? "" : ", ").append(TraceCommand.num(r.get(i)));
            out.println(sb.append(']'));
        }
    }

    private static List<Integer> dims(Shape s) {
        return s.isFlat() ? List.of(s.channels()) : List.of(s.channels(), s.height(), s.width());
    }

    private static double norm(double[] v, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) sum += v[i] * v[i];
        return Math.sqrt(sum);
    }
}
