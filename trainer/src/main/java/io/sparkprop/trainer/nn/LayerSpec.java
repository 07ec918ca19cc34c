// One entry of model.layers, with no weights: its kind and the numbers that kind reads.
package io.sparkprop.trainer.nn;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code units}: filters (conv2d) or units (dense); {@code kernel}: the conv2d kernel or the pool window;
 * {@code stride}, {@code padding} (zeros on each side, conv2d); {@code activation} (conv2d, dense); {@code rate}
 * (dropout); {@code momentum} (the new batch's weight in the running statistics, batch-norm) and {@code epsilon}
 * (added to the variance: batch-norm and layer-norm). {@code units} is also an embedding's dim. Fields a kind does
 * not read are 0 or null.
 */
public record LayerSpec(LayerKind kind, int units, int kernel, int stride, int padding, Activation activation,
                        double rate, double momentum, double epsilon) implements Serializable {

    /** A layer without batch-norm's two numbers. */
    public LayerSpec(LayerKind kind, int units, int kernel, int stride, int padding, Activation activation,
                     double rate) {
        this(kind, units, kernel, stride, padding, activation, rate, 0, 0);
    }

    public static LayerSpec conv2d(int filters, int kernel, int stride, int padding, Activation activation) {
        return new LayerSpec(LayerKind.CONV2D, filters, kernel, stride, padding, activation, 0);
    }

    public static LayerSpec maxPool(int size, int stride) {
        return new LayerSpec(LayerKind.MAX_POOL, 0, size, stride, 0, null, 0);
    }

    public static LayerSpec avgPool(int size, int stride) {
        return new LayerSpec(LayerKind.AVG_POOL, 0, size, stride, 0, null, 0);
    }

    public static LayerSpec flatten() {
        return new LayerSpec(LayerKind.FLATTEN, 0, 0, 0, 0, null, 0);
    }

    public static LayerSpec dense(int units, Activation activation) {
        return new LayerSpec(LayerKind.DENSE, units, 0, 0, 0, activation, 0);
    }

    public static LayerSpec dropout(double rate) {
        return new LayerSpec(LayerKind.DROPOUT, 0, 0, 0, 0, null, rate);
    }

    /** PyTorch's conventions: momentum weights the new batch's statistics, epsilon is added to the variance. */
    public static LayerSpec batchNorm(double momentum, double epsilon) {
        return new LayerSpec(LayerKind.BATCH_NORM, 0, 0, 0, 0, null, 0, momentum, epsilon);
    }

    /** Normalises each example over all its values; epsilon is added to the variance. */
    public static LayerSpec layerNorm(double epsilon) {
        return new LayerSpec(LayerKind.LAYER_NORM, 0, 0, 0, 0, null, 0, 0, epsilon);
    }

    /** One table of dim-wide rows per categorical input column (the columns come with the data). */
    public static LayerSpec embedding(int dim) {
        return new LayerSpec(LayerKind.EMBEDDING, dim, 0, 0, 0, null, 0);
    }

    /** The keys a config (and the saved model) spells this layer with, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", kind.configName);
        switch (kind) {
            case CONV2D -> {
                m.put("filters", units);
                m.put("kernel", kernel);
                m.put("stride", stride);
                m.put("padding", padding);
                m.put("activation", activation.configName);
            }
            case MAX_POOL, AVG_POOL -> {
                m.put("size", kernel);
                m.put("stride", stride);
            }
            case DENSE -> {
                m.put("units", units);
                m.put("activation", activation.configName);
            }
            case DROPOUT -> m.put("rate", rate);
            case BATCH_NORM -> {
                m.put("momentum", momentum);
                m.put("epsilon", epsilon);
            }
            case LAYER_NORM -> m.put("epsilon", epsilon);
            case EMBEDDING -> m.put("dim", units);
            case FLATTEN -> {
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
