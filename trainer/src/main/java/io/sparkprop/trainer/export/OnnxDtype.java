// Element type of an exported graph's inputs, weights and outputs: float32 (the serving default) or float64.
package io.sparkprop.trainer.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

import com.google.protobuf.ByteString;

import ai.onnx.proto.OnnxMl.TensorProto;
import io.sparkprop.trainer.UserError;

public enum OnnxDtype {
    FLOAT32(TensorProto.DataType.FLOAT_VALUE, Float.BYTES),
    FLOAT64(TensorProto.DataType.DOUBLE_VALUE, Double.BYTES);

    /** TensorProto.DataType code. */
    public final int onnxType;
    private final int bytes;

    OnnxDtype(int onnxType, int bytes) {
        this.onnxType = onnxType;
        this.bytes = bytes;
    }

    /**
     * "float32" or "float64" (any case); anything else is an IllegalArgumentException whose message is
     * "VALUE: expected float32 or float64" (the CLI puts --dtype in front).
     */
    public static OnnxDtype parse(String s) {
        return switch (String.valueOf(s).strip().toLowerCase(Locale.ROOT)) {
            case "float32" -> FLOAT32;
            case "float64" -> FLOAT64;
            default -> throw new IllegalArgumentException(s + ": expected float32 or float64");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * v as little-endian raw tensor data (TensorProto.raw_data is always little-endian). float32 rounds to
     * nearest; a finite value beyond float32's range cannot be stored and is refused, naming {@code what}.
     */
    public ByteString raw(double[] v, String what) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            if (this == FLOAT64) {
                buf.putDouble(x);
            } else {
                float f = (float) x;
                if (Float.isInfinite(f) && !Double.isInfinite(x)) {
                    throw new UserError(what + " holds " + x + ", beyond the float32 range; export with --dtype"
                            + " float64");
                }
                buf.putFloat(f);
            }
        }
        return ByteString.copyFrom(buf.array());
    }
}
