// dev.ludovic.netlib BLAS under our stores: a native BLAS (the system's, else the bundled OpenBLAS) when one
// loads, else netlib's Java kernels.
package io.sparkprop.trainer.kernel;

import java.nio.file.Path;
import java.util.List;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/** Calls dgemm (sgemm for floats) directly on the arrays (no copies): offsets and leading dimensions map one to one. */
public final class BlasGemm implements Gemm {
    /**
     * netlib warns through java.util.logging, in several lines each, for every implementation it could not load
     * (no native BLAS, no jdk.incubator.vector); the engine's progress line already names the kernel in use.
     * Held here because java.util.logging keeps loggers only weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger NETLIB_LOG =
            java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

    /** Which library netlib should bind to, asked before its first load. */
    enum Want {
        /** The system's native BLAS when the loader finds it, else the bundled OpenBLAS. */
        ANY_NATIVE,
        /** The bundled OpenBLAS even where the system has a BLAS. */
        BUNDLED
    }

    /** What netlib bound to in this JVM: once made, for the JVM's life (netlib loads its native side once). */
    record Binding(BLAS blas, String name, String library) {
        boolean isNative() {
            return name.equals("blas-system") || name.equals("blas-bundled");
        }
    }

    private static Binding binding;

    private final Binding b;

    /** netlib with whatever this JVM has bound (binding it first if nobody has: system, else bundled). */
    public BlasGemm() {
        this(bind(Want.ANY_NATIVE));
    }

    BlasGemm(Binding b) {
        this.b = b;
    }

    /**
     * Binds netlib once per JVM: for {@link Want#BUNDLED}, or when the system has no BLAS the loader can find,
     * netlib is pointed at the bundled OpenBLAS (where this jar carries one for the platform). Later calls get the
     * first binding, whatever they want.
     */
    static synchronized Binding bind(Want want) {
        if (binding != null) {
            return binding;
        }
        NETLIB_LOG.setLevel(java.util.logging.Level.OFF);
        Path bundled = null;
        if ((want == Want.BUNDLED || !NativeLibrary.systemPresent()) && NativeLibrary.bundledAvailable()) {
            try {
                bundled = NativeLibrary.redirectToBundled();
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                bundled = null; // the system's (if any) or netlib's Java kernels
            }
        }
        BLAS impl;
        String name;
        String library;
        try {
            impl = NativeBLAS.getInstance();
            library = loadedLibrary(bundled);
            Path dir = NativeLibrary.extractedDir();
            name = dir != null && library.contains(dir.toString()) ? "blas-bundled" : "blas-system";
            if (name.equals("blas-bundled")) {
                library = NativeLibrary.bundledVersion() + " (bundled)";
            }
        } catch (Throwable noNative) {
            impl = JavaBLAS.getInstance();
            name = impl.getClass().getSimpleName().startsWith("Vector") ? "blas-vector" : "blas-java";
            library = "netlib " + impl.getClass().getSimpleName();
        }
        binding = new Binding(impl, name, library);
        return binding;
    }

    /**
     * The native library that is mapped into the process (so a report names what really loaded); where /proc is
     * not there, the one netlib was told to open.
     */
    private static String loadedLibrary(Path bundled) {
        List<String> mapped = NativeLibrary.mappedBlasLibraries();
        if (!mapped.isEmpty()) {
            return String.join(", ", mapped);
        }
        if (bundled != null) {
            return bundled.toString();
        }
        return System.getProperty(NativeLibrary.LIB_PATH, System.getProperty(NativeLibrary.LIB,
                NativeLibrary.DEFAULT_LIB));
    }

    /** True when netlib runs on a native library in this JVM (binding it first if needed), so "auto" picks it. */
    public static boolean nativeAvailable() {
        return bind(Want.ANY_NATIVE).isNative();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int offA, double[] b, int offB, double beta, double[] c, int offC) {
        int lda = transA ? k : m;
        int ldb = transB ? n : k;
        this.b.blas().dgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                1.0, a, offA, lda, b, offB, ldb, beta, c, offC, m);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        int lda = transA ? k : m;
        int ldb = transB ? n : k;
        this.b.blas().sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k,
                1.0f, a, offA, lda, b, offB, ldb, beta, c, offC, m);
    }

    @Override
    public String name() {
        return b.name();
    }

    /**
     * The backend, the library and what picks its kernels: the CPU model (OpenBLAS chooses by CPU) and
     * OPENBLAS_CORETYPE when set. Equal strings on two JVMs mean the same products, bit for bit.
     */
    @Override
    public String kernel() {
        if (!b.isNative()) {
            return b.name() + " " + b.library();
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        return b.name() + " " + b.library() + " on " + NativeLibrary.cpuModel()
                + (core == null || core.isEmpty() ? "" : ", OPENBLAS_CORETYPE=" + core);
    }
}
