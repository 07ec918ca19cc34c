// How one layer kind of a model.layers list is written into an ONNX graph; LayerEmitters holds one per kind.
package io.sparkprop.trainer.export;

/**
 * A new {@link io.sparkprop.trainer.nn.LayerKind} becomes exportable by registering one of these in
 * {@link LayerEmitters}; a kind without one is refused naming the layer's index and type.
 */
@FunctionalInterface
interface LayerEmitter {
    /**
     * Appends layer k's nodes after tensor {@code h} (the output of layer k − 1, or the scaled features) and
     * returns the name of layer k's output. {@link LayerGraph#spatial} and {@link LayerGraph#flat} give h the
     * rank the layer's operator needs: [N, c, h, w] or [N, values].
     */
    String emit(LayerGraph c, int k, String h);
}
