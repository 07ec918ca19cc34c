// A trained model: topology, flat weights, the fitted feature scaling and the label mapping.
package io.sparkprop.trainer.model;

import java.util.List;

import io.sparkprop.trainer.nn.Network;

/**
 * Everything needed to predict on raw rows: x' = (x − shift) ⊙ scale, then the network.
 * {@code classNames} is null for regression; {@code config} is the resolved training config (HOCON text);
 * {@code header} the training CSV's header (null when it had none), which later CSV input must repeat.
 */
public record Model(Network net, double[] params, String scaleKind, double[] shift, double[] scale,
                    List<String> classNames, String config, List<String> header) implements java.io.Serializable {

    public int features() {
        return net.inputs();
    }

    public boolean isClassification() {
        return classNames != null;
    }
}
