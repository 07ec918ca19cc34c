// Test support: runs an exported ONNX file with ONNX Runtime on raw feature rows.
package io.sparkprop.trainer.export;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** The outputs by name, widened to double[][] (N × k), long[] for label; plus the model's metadata. */
record OnnxRun(Map<String, Object> outputs, Map<String, String> metadata) {

    /** Runs {@code file} on x (rows × features, row after row) fed as float32 or float64. */
    static OnnxRun run(Path file, double[] x, int rows, int features, OnnxDtype dtype) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(file.toString(), opts);
                 OnnxTensor in = tensor(env, x, rows, features, dtype);
                 OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, in))) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.put(e.getKey(), widen(e.getValue().getValue()));
                }
                return new OnnxRun(out, s.getMetadata().getCustomMetadata());
            }
        }
    }

    double[][] matrix(String name) {
        return (double[][]) outputs.get(name);
    }

    private static OnnxTensor tensor(OrtEnvironment env, double[] x, int rows, int features, OnnxDtype dtype)
            throws OrtException {
        if (dtype == OnnxDtype.FLOAT64) {
            double[][] m = new double[rows][features];
            for (int r = 0; r < rows; r++) System.arraycopy(x, r * features, m[r], 0, features);
            return OnnxTensor.createTensor(env, m);
        }
        float[][] m = new float[rows][features];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) m[r][j] = (float) x[r * features + j];
        }
        return OnnxTensor.createTensor(env, m);
    }

    private static Object widen(Object v) {
        if (v instanceof float[][] f) {
            double[][] d = new double[f.length][];
            for (int r = 0; r < f.length; r++) {
                d[r] = new double[f[r].length];
                for (int j = 0; j < f[r].length; j++) d[r][j] = f[r][j];
            }
            return d;
        }
        return v; // double[][] or long[]
    }
}
