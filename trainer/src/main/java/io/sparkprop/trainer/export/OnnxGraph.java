// A small builder over the generated ONNX protobuf classes: nodes, constant tensors and typed inputs/outputs.
package io.sparkprop.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Names every node after its output, so a graph viewer shows the same names as the exporter. */
final class OnnxGraph {
    /** The symbolic batch dimension of every input and output. */
    static final String BATCH = "N";

    final GraphProto.Builder g = GraphProto.newBuilder();
    private final OnnxDtype dtype;

    OnnxGraph(String name, OnnxDtype dtype) {
        g.setName(name);
        this.dtype = dtype;
    }

    /** A constant tensor of the graph's dtype with the given dims (none for a scalar); returns its name. */
    String constant(String name, double[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dtype.onnxType)
                .setRawData(dtype.raw(values, name));
        for (long d : dims) t.addDims(d);
        g.addInitializer(t);
        return name;
    }

    /** A constant int64 tensor (shapes, pads, axes of Reshape, Pad and Slice) of one dimension; returns its name. */
    String int64Constant(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        g.addInitializer(t);
        return name;
    }

    /** A constant int64 scalar (an index that drops its axis, as Gather's); returns its name. */
    String int64Scalar(String name, long value) {
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addInt64Data(value));
        return name;
    }

    /** Adds node op(inputs) → output and returns the output's name. */
    String node(String op, String output, String... inputs) {
        return node(op, output, null, inputs);
    }

    String node(String op, String output, AttributeProto[] attributes, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String in : inputs) n.addInput(in);
        if (attributes != null) {
            for (AttributeProto a : attributes) n.addAttribute(a);
        }
        g.addNode(n);
        return output;
    }

    static AttributeProto intAttribute(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto intsAttribute(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto floatAttribute(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    /** Graph input (N × columns) of the graph's dtype. */
    void input(String name, long columns) {
        g.addInput(valueInfo(name, dtype.onnxType, columns));
    }

    /** Graph output (N × columns) of the graph's dtype. */
    void output(String name, long columns) {
        g.addOutput(valueInfo(name, dtype.onnxType, columns));
    }

    /** Graph output (N) of int64. */
    void int64Output(String name) {
        g.addOutput(valueInfo(name, TensorProto.DataType.INT64_VALUE, -1));
    }

    private static ValueInfoProto valueInfo(String name, int elemType, long columns) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        if (columns >= 0) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns));
        }
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
