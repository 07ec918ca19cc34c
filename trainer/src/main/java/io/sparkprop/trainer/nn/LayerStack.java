// A model.layers list checked against its input shape: every boundary's shape, and where each weighted layer's
// W and b live in the flat parameter vector. The output layer (dense, logits) is appended last.
package io.sparkprop.trainer.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers k = 0..m−1 map boundary k to boundary k+1; layer m−1 is the output layer, a dense layer of
 * {@code outputs} units with no activation (the configured output unit and loss follow it). {@link #shape}(0) is
 * the input shape. {@link #slot}(k) is layer k's index in the {@link ParamLayout} (−1: no weights).
 */
public final class LayerStack implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<LayerSpec> layers;
    private final Shape[] shapes;
    private final int[] slot;
    private final ParamLayout layout;

    /**
     * @throws IllegalArgumentException "layer i (kind): …, input [..] …" naming the 0-based index in
     *                                  {@code hidden} and the shapes, when a layer cannot take its input
     */
    public LayerStack(Shape input, List<LayerSpec> hidden, int outputs) {
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
                shapes[k + 1] = s.kind().out(s, in);
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
        for (int k = 0; k < layers.size(); k++) {
            b.append(" → ").append(layers.get(k).kind().configName).append(' ').append(shapes[k + 1]);
        }
        return b.toString();
    }
}
