// Chooses the GEMM kernel from compute.backend: auto | ojalgo | blas | blas-system | blas-bundled.
package io.sparkprop.trainer.kernel;

import java.util.Locale;

import io.sparkprop.trainer.UserError;

/**
 * A factory, since kernels hold per-thread scratch: call {@link #create} once per worker thread. The native
 * library behind netlib is chosen once per JVM (see {@link BlasGemm#bind}); the first kernel created decides it.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * auto = a native BLAS: the system's when the node has one, else the OpenBLAS bundled in the jar; else ojAlgo
     * (faster than netlib's pure-Java fallback). blas = netlib on that native library, else netlib's Java kernels.
     * blas-system and blas-bundled pin one library and fail where it is not what this JVM runs.
     */
    public static Gemm create(String backend) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "ojalgo" -> new OjAlgoGemm();
            case "blas" -> new BlasGemm();
            case "auto" -> BlasGemm.nativeAvailable() ? new BlasGemm() : new OjAlgoGemm();
            case "blas-system" -> pinned("blas-system", BlasGemm.bind(BlasGemm.Want.ANY_NATIVE));
            case "blas-bundled" -> pinned("blas-bundled", BlasGemm.bind(BlasGemm.Want.BUNDLED));
            default -> throw new IllegalArgumentException("compute.backend: unknown '" + backend
                    + "', expected one of [auto, ojalgo, blas, blas-system, blas-bundled]");
        };
    }

    private static Gemm pinned(String want, BlasGemm.Binding b) {
        if (!b.name().equals(want)) {
            String why;
            if (want.equals("blas-system")) {
                why = NativeLibrary.systemPresent() ? "the system's BLAS did not load, or another backend was bound"
                        + " first in this JVM" : "no system BLAS found (netlib opens " + System.getProperty(
                                NativeLibrary.LIB, NativeLibrary.DEFAULT_LIB) + ")";
            } else {
                why = NativeLibrary.bundledAvailable() ? "another backend was bound first in this JVM"
                        : "this jar carries no OpenBLAS for " + NativeLibrary.platform();
            }
            throw new UserError("compute.backend = " + want + ": this JVM runs " + b.name() + " (" + b.library()
                    + "): " + why);
        }
        return new BlasGemm(b);
    }
}
