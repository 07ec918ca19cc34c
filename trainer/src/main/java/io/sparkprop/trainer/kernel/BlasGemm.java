// dev.ludovic.netlib BLAS under our stores: native OpenBLAS when the node has it, else the Java kernels.
package io.sparkprop.trainer.kernel;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/** Calls dgemm (sgemm for floats) directly on the arrays (no copies): offsets and leading dimensions map one to one. */
public final class BlasGemm implements Gemm {
    private static final BLAS BLAS_IMPL;
    private static final String NAME;
    /**
     * netlib warns through java.util.logging, in several lines each, for every implementation it could not load
     * (no native OpenBLAS, no jdk.incubator.vector); the engine's progress line already names the kernel in use.
     * Held here because java.util.logging keeps loggers only weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger NETLIB_LOG =
            java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

    static {
        NETLIB_LOG.setLevel(java.util.logging.Level.OFF);
        BLAS impl;
        String name;
        try {
            impl = NativeBLAS.getInstance();
            name = "blas-native";
        } catch (Throwable noNative) {
            impl = JavaBLAS.getInstance();
            name = impl.getClass().getSimpleName().startsWith("Vector") ? "blas-vector" : "blas-java";
        }
        BLAS_IMPL = impl;
        NAME = name;
    }

    /** True when the native library loaded, so "auto" should pick this kernel. */
    public static boolean nativeAvailable() {
        return NAME.equals("blas-native");
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int offA, double[] b, int offB, double beta, double[] c, int offC) {
        int lda = transA ? k : m;
        int ldb = transB ? n : k;
        BLAS_IMPL.dgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                1.0, a, offA, lda, b, offB, ldb, beta, c, offC, m);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        int lda = transA ? k : m;
        int ldb = transB ? n : k;
        BLAS_IMPL.sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                1.0f, a, offA, lda, b, offB, ldb, beta, c, offC, m);
    }

    @Override
    public String name() {
        return NAME;
    }
}
