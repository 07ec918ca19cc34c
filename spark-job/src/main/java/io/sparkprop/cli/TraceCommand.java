// `sparkprop trace`: one training step shown number by number — forward, loss, backward, update.
package io.sparkprop.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.nn.Network;
import io.sparkprop.trainer.nn.ParamLayout;
import io.sparkprop.trainer.train.PreparedData;
import io.sparkprop.trainer.train.StepTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs {@link StepTrace} (the engine's own step) on the configured data and prints it. Matrices are written
 * row by row with one row per unit and one column per batch row — z, a and δ are (units × n), W is out × in —
 * as in the worked examples and the JSON weights files of model.init. A model.layers network is shown by
 * {@link LayerTrace}: shapes and parameters per layer, the predictions, loss and per-layer norms.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Show one training step number by number: z and a per layer, the loss, δ, dW, db and the"
                + " weights after the optimizer step.")
final class TraceCommand implements Callable<Integer> {
    /** Where a training row's weight comes from (StepTrace#weights). */
    static final String WEIGHT_KEYS = "data.weight-column × train.class-weights";

    @Mixin
    CommonOptions common;

    @Option(names = "--rows", defaultValue = "1", description = "Rows in the traced batch (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--format", defaultValue = "text", description = "text | json (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        String f = format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("text") && !f.equals("json")) {
            throw new UserError("--format: unknown '" + format + "', expected text or json");
        }
        TrainConfig cfg = common.load();
        PreparedData data = PreparedData.load(cfg, System.err);
        StepTrace t = StepTrace.run(cfg, data, rows, cfg.backend().gemm());
        if (f.equals("json")) {
            Map<String, Object> m = t.net.isLayerList() ? LayerTrace.json(cfg, t) : json(cfg, t);
            System.out.println(ConfigValueFactory.fromMap(m)
                    .render(ConfigRenderOptions.concise().setJson(true).setFormatted(true)));
        } else if (t.net.isLayerList()) {
            LayerTrace.text(cfg, t, System.out);
        } else {
            text(cfg, t, System.out);
        }
        return 0;
    }

    /** The documented JSON form (README, "trace --format json"). */
    static Map<String, Object> json(TrainConfig cfg, StepTrace t) {
        Network net = t.net;
        ParamLayout layout = net.layout();
        int n = t.n();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("sizes", ints(net.sizes()));
        network.put("activation", net.activation.configName);
        network.put("output", net.output.configName);
        network.put("loss", net.loss.configName);
        network.put("dropout", net.dropout);
        m.put("network", network);
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", cfg.optimizer().id());
        opt.put("learning_rate", t.learningRate);
        m.put("optimizer", opt);
        m.put("rows", ints(t.rows));
        m.put("input", matrix(t.a[0], net.inputs(), n, 0));
        m.put("targets", matrix(t.y, t.targets, n, 0));
        putWeights(m, t);
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < net.depth(); l++) {
            int out = layout.out(l);
            int in = layout.in(l);
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", l + 1);
            layer.put("W", matrix(t.before, out, in, layout.wOffset(l)));
            layer.put("b", vector(t.before, layout.bOffset(l), out));
            layer.put("z", matrix(t.z[l + 1], out, n, 0));
            layer.put("a", matrix(l + 1 < net.depth() ? t.a[l + 1] : t.p, out, n, 0));
            layer.put("delta", matrix(t.delta[l + 1], out, n, 0));
            layer.put("dW", matrix(t.gradSum, out, in, layout.wOffset(l)));
            layer.put("db", vector(t.gradSum, layout.bOffset(l), out));
            layer.put("W_after", matrix(t.after, out, in, layout.wOffset(l)));
            layer.put("b_after", vector(t.after, layout.bOffset(l), out));
            layers.add(layer);
        }
        m.put("layers", layers);
        m.put("loss", t.loss);
        m.put("loss_mean", t.lossMean());
        m.put("gradient_norm", t.norm);
        return m;
    }

    /** With weighted rows: {@code weights} (one per batch row, in batch order) and {@code weight_sum} W. */
    static void putWeights(Map<String, Object> m, StepTrace t) {
        if (t.weights != null) {
            m.put("weights", vector(t.weights, 0, t.n()));
            m.put("weight_sum", t.weightSum);
        }
    }

    /** The weights' row of the text form, when the rows are weighted. */
    static void printWeights(PrintStream out, StepTrace t) {
        if (t.weights != null) {
            print(out, "w (row weights: " + WEIGHT_KEYS + ")", List.of(vector(t.weights, 0, t.n())));
        }
    }

    /** The text form's loss line: the plain sum and mean, or Σ w·C and its weighted mean. */
    static void printLoss(PrintStream out, StepTrace t) {
        String loss = t.net.loss.configName;
        if (t.weights == null) {
            out.printf("loss C = %s summed over %d row(s) = %s (mean %s)%n", loss, t.n(), num(t.loss),
                    num(t.lossMean()));
        } else {
            out.printf("loss C = Σ w·%s over %d row(s) = %s (weighted mean C / W = %s, W = Σ w = %s)%n", loss, t.n(),
                    num(t.loss), num(t.lossMean()), num(t.weightSum));
        }
    }

    /** What the step averaged over, for the text form's step line. */
    static String meanOver(StepTrace t) {
        return t.weights == null ? "the mean gradient over " + t.n() + " row(s)"
                : "the weighted mean gradient Σ w·∂C/∂θ / W over " + t.n() + " row(s)";
    }

    static void text(TrainConfig cfg, StepTrace t, PrintStream out) {
        Network net = t.net;
        ParamLayout layout = net.layout();
        int n = t.n();
        int depth = net.depth();
        out.printf("network %s, %s; %s, learning rate %s%n", net, net.countText(), cfg.optimizer(),
                num(t.learningRate));
        out.printf("batch: %d row(s) of the training split %s; matrices are units × rows%n", n, ints(t.rows));
        out.println();
        out.println("forward");
        print(out, "a0 = x", matrix(t.a[0], net.inputs(), n, 0));
        print(out, "y (targets)", matrix(t.y, t.targets, n, 0));
        printWeights(out, t);
        for (int l = 0; l < depth; l++) {
            int o = layout.out(l);
            int in = layout.in(l);
            String f = l + 1 < depth ? net.activation.configName : net.output.configName;
            print(out, "W" + (l + 1), matrix(t.before, o, in, layout.wOffset(l)));
            print(out, "b" + (l + 1), List.of(vector(t.before, layout.bOffset(l), o)));
            print(out, "z" + (l + 1) + " = W" + (l + 1) + "·a" + l + " + b" + (l + 1), matrix(t.z[l + 1], o, n, 0));
            print(out, "a" + (l + 1) + " = " + f + "(z" + (l + 1) + ")"
                            + (l + 1 < depth && net.dropout > 0 ? " ⊙ dropout mask" : ""),
                    matrix(l + 1 < depth ? t.a[l + 1] : t.p, o, n, 0));
        }
        printLoss(out, t);
        out.println();
        out.println("backward");
        for (int l = depth - 1; l >= 0; l--) {
            int o = layout.out(l);
            int in = layout.in(l);
            String how = l + 1 == depth ? (t.weights == null ? "" : "w ⊙ ") + "∂C/∂z" + depth
                    : "(W" + (l + 2) + "ᵀ·δ" + (l + 2) + ") ⊙ " + net.activation.configName + "′(z" + (l + 1) + ")";
            print(out, "δ" + (l + 1) + " = " + how, matrix(t.delta[l + 1], o, n, 0));
            print(out, "dW" + (l + 1) + " = δ" + (l + 1) + "·a" + l + "ᵀ", matrix(t.gradSum, o, in, layout.wOffset(l)));
            print(out, "db" + (l + 1) + " = Σ_rows δ" + (l + 1), List.of(vector(t.gradSum, layout.bOffset(l), o)));
        }
        out.println();
        out.printf("step: %s on %s (norm %s)%n", cfg.optimizer(), meanOver(t), num(t.norm));
        for (int l = 0; l < depth; l++) {
            int o = layout.out(l);
            print(out, "W" + (l + 1) + " ←", matrix(t.after, o, layout.in(l), layout.wOffset(l)));
            print(out, "b" + (l + 1) + " ←", List.of(vector(t.after, layout.bOffset(l), o)));
        }
    }

    private static void print(PrintStream out, String label, List<List<Double>> rows) {
        out.println("  " + label + ":");
        for (List<Double> r : rows) {
            StringBuilder sb = new StringBuilder("    [");
            for (int i = 0; i < r.size(); i++) sb.append(i == 0 ? "" : ", ").append(num(r.get(i)));
            out.println(sb.append(']'));
        }
    }

    /** Nine significant digits without trailing zeros (0.15, not 0.150000000; 1, not 1.00000000). */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.9g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Rows of a column-major (rows × cols) matrix stored at v[off..]. */
    static List<List<Double>> matrix(double[] v, int rows, int cols, int off) {
        List<List<Double>> m = new ArrayList<>();
        for (int j = 0; j < rows; j++) {
            List<Double> r = new ArrayList<>();
            for (int c = 0; c < cols; c++) r.add(v[off + c * rows + j]);
            m.add(r);
        }
        return m;
    }

    static List<Double> vector(double[] v, int off, int len) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < len; i++) r.add(v[off + i]);
        return r;
    }

    private static List<Integer> ints(int[] v) {
        List<Integer> r = new ArrayList<>();
        for (int x : v) r.add(x);
        return r;
    }
}
