// compute.backend: which GEMM kernel runs the layers' products, each constant making its own.
package io.sparkprop.trainer.kernel;

import java.util.Locale;

/**
 * {@link #id()} is the config spelling. Kernels hold per-thread scratch: call {@link #gemm()} once per worker
 * thread.
 */
public enum Backend {
    /** Native BLAS when the node has it, else ojAlgo (faster than netlib's pure-Java fallback). */
    AUTO {
        @Override
        public Gemm gemm() {
            return BlasGemm.nativeAvailable() ? new BlasGemm() : new OjAlgoGemm();
        }
    },
    OJALGO {
        @Override
        public Gemm gemm() {
            return new OjAlgoGemm();
        }
    },
    BLAS {
        @Override
        public Gemm gemm() {
            return new BlasGemm();
        }
    };

    /** A fresh kernel for one thread. */
    public abstract Gemm gemm();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
