// A model.layers list checked against its input shape: every boundary's shape, and where each weighted layer's
// W and b live in the flat parameter vector. The output layer (dense, logits) is appended last.
package io.sparkprop.trainer.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers k = 0..m−1 map boundary k to boundary k+1; layer m−1 is the output layer, a dense layer of
 * {@code outputs} units with no activation (the configured output unit and loss follow it). {@link #shape}(0) is
 * the input shape. {@link #slot}(k) is layer k's index in the {@link ParamLayout} (−1: no weights). In the
 * layout a layer-norm layer of D values is (in 1, out D, bias D): W = γ, b = β; an embedding layer is
 * (in Σ(cardinality + 1), out dim, no bias): W column r is table row r, column j's tables one after another,
 * which is PyTorch's (rows, dim) weight of each table in row-major order.
 */
public final class LayerStack implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<LayerSpec> layers;
    private final Shape[] shapes;
    private final int[] slot;
    private final ParamLayout layout;
    private final Categorical categorical;

    /**
     * @throws IllegalArgumentException "layer i (kind): …, input [..] …" naming the 0-based index in
     *                                  {@code hidden} and the shapes, when a layer cannot take its input
     */
    public LayerStack(Shape input, List<LayerSpec> hidden, int outputs) {
        this(input, hidden, outputs, Categorical.NONE);
    }

    /** With the data's categorical input columns, which an embedding layer (the first) reads. */
    public LayerStack(Shape input, List<LayerSpec> hidden, int outputs, Categorical categorical) {
        this.categorical = categorical == null ? Categorical.NONE : categorical;
        boolean embeds = !hidden.isEmpty() && hidden.get(0).kind() == LayerKind.EMBEDDING;
        if (!this.categorical.isEmpty() && !embeds) {
            throw new IllegalArgumentException("the categorical columns (data.categorical-columns) "
                    + this.categorical + " need { type = embedding, dim = ... } as the first layer");
        }
        List<LayerSpec> all = new ArrayList<>(hidden);
        all.add(LayerSpec.dense(outputs, Activation.IDENTITY));
        this.layers = List.copyOf(all);
        this.shapes = new Shape[all.size() + 1];
        this.slot = new int[all.size()];
        shapes[0] = input;
        List<int[]> params = new ArrayList<>();
        List<Integer> norm = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            LayerSpec s = all.get(k);
            Shape in = shapes[k];
            try {
                shapes[k + 1] = k == 0 && embeds ? embedded(s, in) : s.kind().out(s, in);
            } catch (IllegalArgumentException e) {
                String what = k < hidden.size() ? "layer " + k + " (" + s.kind().configName + ")"
                        : "the output layer (dense, " + outputs + " units)";
                throw new IllegalArgumentException(what + ": input " + in + ": " + e.getMessage());
            }
            if (s.kind().hasParams) {
                slot[k] = params.size();
                norm.add(0);
                if (s.kind() == LayerKind.BATCH_NORM) {
                    // no W; a "bias" of 4C values: γ, β, running mean, running variance (BatchNorm)
                    int c = BatchNorm.channels(in);
                    params.add(new int[]{0, c, 4 * c, 0, 0});
                    norm.set(norm.size() - 1, c);
                } else if (s.kind() == LayerKind.LAYER_NORM) {
                    params.add(new int[]{1, in.size(), in.size(), 1, 1});
                } else if (s.kind() == LayerKind.EMBEDDING) {
                    int rows = 0;
                    for (int j = 0; j < this.categorical.count(); j++) rows += this.categorical.rows(j);
                    // fan-in and fan-out 1: xavier draws N(0, 1), PyTorch's Embedding default
                    params.add(new int[]{rows, s.units(), 0, 1, 1});
                } else if (s.kind() == LayerKind.CONV2D) {
                    int k2 = s.kernel() * s.kernel();
                    // {in, out, bias, fanIn, fanOut}: W stored (C·k·k × F)
                    params.add(new int[]{s.units(), in.channels() * k2, s.units(), in.channels() * k2,
                            s.units() * k2});
                } else {
                    params.add(new int[]{in.size(), s.units(), s.units(), in.size(), s.units()});
                }
            } else {
                slot[k] = -1;
            }
        }
        int[][] cols = new int[5][params.size()];
        for (int l = 0; l < params.size(); l++) {
            for (int c = 0; c < 5; c++) cols[c][l] = params.get(l)[c];
        }
        this.layout = new ParamLayout(cols[0], cols[1], cols[2], cols[3], cols[4],
                norm.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Layer 0 (embedding): [dim values per categorical column..., the numeric features]. */
    private Shape embedded(LayerSpec s, Shape in) {
        if (categorical.isEmpty()) {
            throw new IllegalArgumentException("embedding has no categorical columns to read; set"
                    + " data.categorical-columns (or the estimator's categorical slots)");
        }
        if (!in.isFlat()) {
            throw new IllegalArgumentException("embedding needs flat feature vectors");
        }
        for (int j = 0; j < categorical.count(); j++) {
            if (categorical.slots()[j] >= in.size()) {
                throw new IllegalArgumentException("categorical column " + categorical.names().get(j) + " is feature "
                        + categorical.slots()[j] + ", the input has " + in.size());
            }
        }
        return Shape.flat(in.size() - categorical.count() + categorical.count() * s.units());
    }

    /** The data's categorical input columns (empty without an embedding layer). */
    public Categorical categorical() {
        return categorical;
    }

    /**
     * Sets what a fresh network starts from regardless of model.init: layer-norm's γ = 1 and β = 0, as PyTorch
     * (batch-norm's γ, β and running statistics are set by {@link Init} itself).
     */
    public void initFixed(double[] params) {
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k).kind() == LayerKind.LAYER_NORM) {
                int l = slot[k];
                java.util.Arrays.fill(params, layout.wOffset(l), layout.bOffset(l), 1.0);
                java.util.Arrays.fill(params, layout.bOffset(l), layout.bOffset(l) + layout.biasSize(l), 0.0);
            }
        }
    }

    /** Layers including the output layer. */
    public int size() {
        return layers.size();
    }

    public LayerSpec layer(int k) {
        return layers.get(k);
    }

    /** The configured layers, without the output layer. */
    public List<LayerSpec> hidden() {
        return layers.subList(0, layers.size() - 1);
    }

    /** The shape of one example at boundary k (0 = input, size() = logits). */
    public Shape shape(int k) {
        return shapes[k];
    }

    public int slot(int k) {
        return slot[k];
    }

    /** True when some layer is a batch-norm layer (its statistics need the whole batch's sums). */
    public boolean hasBatchNorm() {
        return layers.stream().anyMatch(l -> l.kind() == LayerKind.BATCH_NORM);
    }

    public ParamLayout layout() {
        return layout;
    }

    /** Values per example at every boundary, input first. */
    public int[] flatSizes() {
        int[] s = new int[shapes.length];
        for (int k = 0; k < s.length; k++) s[k] = shapes[k].size();
        return s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(shapes[0]);
        if (!categorical.isEmpty()) {
            b.append(" categorical ").append(categorical);
        }
        for (int k = 0; k < layers.size(); k++) {
            b.append(" → ").append(layers.get(k).kind().configName).append(' ').append(shapes[k + 1]);
        }
        return b.toString();
    }
}
