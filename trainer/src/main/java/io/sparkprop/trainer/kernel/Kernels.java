// Chooses the GEMM kernel from compute.backend: auto | ojalgo | blas.
package io.sparkprop.trainer.kernel;

import java.util.Locale;

/** A factory, since kernels hold per-thread scratch: call {@link #create} once per worker thread. */
public final class Kernels {
    private Kernels() {
    }

    /** auto = native BLAS when the node has it, else ojAlgo (faster than netlib's pure-Java fallback). */
    public static Gemm create(String backend) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "ojalgo" -> new OjAlgoGemm();
            case "blas" -> new BlasGemm();
            case "auto" -> BlasGemm.nativeAvailable() ? new BlasGemm() : new OjAlgoGemm();
            default -> throw new IllegalArgumentException(
                    "compute.backend: unknown '" + backend + "', expected one of [auto, ojalgo, blas]");
        };
    }
}
