// The ONNX form of an embedding layer: the categorical slots' codes looked up in one table each, then the numeric
// features, in the layer's output order.
package io.sparkprop.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import io.sparkprop.trainer.nn.Categorical;
import io.sparkprop.trainer.nn.LayerSpec;

/**
 * On the scaled features x [N, F] (the scaling keeps the categorical slots as they are: shift 0, scale 1):
 * <pre>
 *   codes   = Cast(Gather(x, slots [q], axis 1), int64)           [N, q]
 *   row_j   = Gather(table_j [cardinality_j + 1, dim], Gather(codes, j, axis 1), axis 0)   [N, dim]
 *   numeric = Gather(x, the other features' indices, axis 1)       [N, F − q]
 *   y       = Concat(row_0, …, row_{q−1}, numeric; axis 1)         [N, q·dim + F − q]
 * </pre>
 * Table j is its own initializer; its last row is the unseen-category row, code = cardinality. A code outside
 * [0, cardinality] fails in Gather, as predict refuses it.
 */
final class EmbeddingEmitter {
    private EmbeddingEmitter() {
    }

    static String emit(LayerGraph c, int k, String h) {
        LayerSpec l = c.stack.layer(k);
        Categorical cats = c.stack.categorical();
        int dim = l.units();
        int f = c.stack.shape(k).size();
        int q = cats.count();
        String x = c.flat(k, h);
        AttributeProto[] columns = {OnnxGraph.intAttribute("axis", 1)};
        long[] slots = new long[q];
        for (int j = 0; j < q; j++) slots[j] = cats.slots()[j];
        String codes = c.g.node("Cast", LayerGraph.name(k, "codes"), new AttributeProto[] {
            OnnxGraph.intAttribute("to", ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE)},
                c.g.node("Gather", LayerGraph.name(k, "slots"), columns, x,
                        c.g.int64Constant(LayerGraph.name(k, "slots.index"), slots)));
        String[] parts = new String[f > q ? q + 1 : q];
        int rowBase = 0;
        for (int j = 0; j < q; j++) {
            String code = c.g.node("Gather", LayerGraph.name(k, "code" + j), columns, codes,
                    c.g.int64Scalar(LayerGraph.name(k, "code" + j + ".index"), j));
            String table = c.g.constant(LayerGraph.name(k, "table" + j),
                    c.weightPart(k, rowBase * dim, cats.rows(j) * dim), cats.rows(j), dim);
            parts[j] = c.g.node("Gather", LayerGraph.name(k, "rows" + j), new AttributeProto[] {
                OnnxGraph.intAttribute("axis", 0)}, table, code);
            rowBase += cats.rows(j);
        }
        if (f > q) {
            long[] numeric = new long[f - q];
            for (int i = 0, n = 0; i < f; i++) {
                if (!cats.isSlot(i)) numeric[n++] = i;
            }
            parts[q] = c.g.node("Gather", LayerGraph.name(k, "numeric"), columns, x,
                    c.g.int64Constant(LayerGraph.name(k, "numeric.index"), numeric));
        }
        return c.g.node("Concat", LayerGraph.name(k, "embedded"), columns, parts);
    }
}
