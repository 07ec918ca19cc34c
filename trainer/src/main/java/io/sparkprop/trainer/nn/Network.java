// The network's topology — layer sizes, activation, output units, loss, dropout — with no weights and no buffers.
package io.sparkprop.trainer.nn;

import java.io.Serializable;
import java.util.Arrays;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * A stack of dense layers {@code sizes[0] → sizes[1] → ... → sizes[L]}; hidden layers apply
 * {@link #activation} and inverted dropout, the last layer emits logits z, {@link #output} turns them into
 * predictions p and {@link #loss} scores p. {@link #classifier}: targets are class indices and a prediction is
 * the arg-max (or p &gt; 0.5 for one unit, each unit for multi-label) rather than the values themselves.
 * Weights live in a flat vector described by {@link #layout()}; buffers live in a {@link Workspace}.
 * Like Spark's ml.ann Topology, it is small and serializable so executors can rebuild it.
 * A layer-list network (model.layers) carries its {@link #stack} instead: conv2d, pooling, flatten, dense and
 * dropout layers ending in a dense output layer; {@link #sizes()} then lists the values per example at each
 * layer boundary, {@link #dropout} is 0 and {@link #activation} is only the default of its layers.
 */
public final class Network implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    public final Activation activation;
    public final Output output;
    public final Loss loss;
    public final boolean classifier;
    /** Probability of dropping a hidden unit during training (0 = off). */
    public final double dropout;
    private final ParamLayout layout;
    /**
     * compute.precision = float32: workspaces built for this network run forward and backward in single
     * precision (sgemm). θ, the optimizer state and the summed gradient handed back stay double.
     */
    public final boolean float32;
    /** The layer list, or null for the dense stack of {@link #sizes()}. */
    public final LayerStack stack;

    /** The loss's usual output unit; classifies exactly when the loss is a cross-entropy. */
    public Network(int[] sizes, Activation activation, Loss loss, double dropout) {
        this(sizes, activation, loss.output(), loss, dropout, loss.isClassification(), false);
    }

    /** @throws IllegalArgumentException for a (loss, output) pair {@link Loss#whyNot} refuses */
    public Network(int[] sizes, Activation activation, Output output, Loss loss, double dropout, boolean classifier) {
        this(sizes, activation, output, loss, dropout, classifier, false);
    }

    /** As above, computed in single precision when {@code float32}. */
    public Network(int[] sizes, Activation activation, Output output, Loss loss, double dropout, boolean classifier,
                   boolean float32) {
        String why = loss.whyNot(output);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        if (loss.isClassification() && !classifier) {
            throw new IllegalArgumentException(loss.configName + " needs class or 0/1 targets");
        }
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs an input and an output size");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be ≥ 1: " + Arrays.toString(sizes));
            }
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
        this.sizes = sizes.clone();
        this.activation = activation;
        this.output = output;
        this.loss = loss;
        this.classifier = classifier;
        this.dropout = dropout;
        this.layout = new ParamLayout(sizes);
        this.float32 = float32;
        this.stack = null;
    }

    /** A layer-list network; {@code activation} is the default its layers were read with. */
    public Network(LayerStack stack, Activation activation, Output output, Loss loss, boolean classifier,
                   boolean float32) {
        String why = loss.whyNot(output);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        if (loss.isClassification() && !classifier) {
            throw new IllegalArgumentException(loss.configName + " needs class or 0/1 targets");
        }
        this.stack = stack;
        this.sizes = stack.flatSizes();
        this.activation = activation;
        this.output = output;
        this.loss = loss;
        this.classifier = classifier;
        this.dropout = 0;
        this.layout = stack.layout();
        this.float32 = float32;
    }

    /** The same topology computed in the given precision. */
    public Network withFloat32(boolean on) {
        if (on == float32) {
            return this;
        }
        return stack != null ? new Network(stack, activation, output, loss, classifier, on)
                : new Network(sizes, activation, output, loss, dropout, classifier, on);
    }

    /** True for a model.layers network (not a plain dense stack). */
    public boolean isLayerList() {
        return stack != null;
    }

    public ParamLayout layout() {
        return layout;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Number of dense layers L (of weighted layers, output included, for a layer list). */
    public int depth() {
        return layout.layers();
    }

    public int units(int boundary) {
        return sizes[boundary];
    }

    /** P, the length of θ and of every gradient and optimizer array (running statistics included). */
    public int paramCount() {
        return layout.size();
    }

    /** The trainable parameters (PyTorch's {@code parameters()}): what every report calls "parameters". */
    public int trainableCount() {
        return layout.trainable();
    }

    /** Batch-norm's running means and variances (PyTorch's buffers): in θ, never given a gradient. */
    public int runningStatisticsCount() {
        return layout.runningStatistics();
    }

    /** "N parameters", and with batch-norm "N parameters + R running statistics": the log and trace lines' count. */
    public String countText() {
        int r = runningStatisticsCount();
        return String.format("%,d parameters", trainableCount())
                + (r > 0 ? String.format(" + %,d running statistics", r) : "");
    }

    /**
     * A fresh per-thread workspace (float buffers when {@link #float32}); its buffers are allocated on first use
     * and grow to the largest batch.
     */
    public Workspace newWorkspace(Gemm gemm) {
        return new Workspace(this, gemm);
    }

    @Override
    public String toString() {
        return (stack != null ? stack.toString() : Arrays.toString(sizes) + " " + activation.configName)
                + " → "
                + (output == loss.output() ? "" : output.configName + " + ") + loss.configName
                + (dropout > 0 ? " dropout " + dropout : "") + (float32 ? " float32" : "");
    }
}
