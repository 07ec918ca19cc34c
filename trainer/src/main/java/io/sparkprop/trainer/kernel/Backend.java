// compute.backend: which GEMM kernel runs the layers' products, each constant making its own.
package io.sparkprop.trainer.kernel;

import java.util.Locale;

import io.sparkprop.trainer.UserError;

/**
 * {@link #id()} is the config spelling. Kernels hold per-thread scratch: call {@link #gemm()} once per worker
 * thread. The native library behind netlib is chosen once per JVM ({@link BlasGemm#bind}); the first native
 * kernel made decides it.
 */
public enum Backend {
    /**
     * A native BLAS: the system's when the node has one, else the OpenBLAS bundled in the jar; else ojAlgo (faster
     * than netlib's pure-Java fallback).
     */
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
    /** netlib on that native library, else netlib's Java kernels. */
    BLAS {
        @Override
        public Gemm gemm() {
            return new BlasGemm();
        }
    },
    /** The system's native BLAS, or a one-line error where this JVM runs another. */
    BLAS_SYSTEM {
        @Override
        public Gemm gemm() {
            return pinned(BlasGemm.bind(BlasGemm.Want.ANY_NATIVE));
        }
    },
    /** The OpenBLAS bundled in the jar even where the system has a BLAS; an error where it cannot run. */
    BLAS_BUNDLED {
        @Override
        public Gemm gemm() {
            return pinned(BlasGemm.bind(BlasGemm.Want.BUNDLED));
        }
    };

    /** A fresh kernel for one thread. */
    public abstract Gemm gemm();

    /** "auto", "ojalgo", "blas", "blas-system", "blas-bundled". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return id();
    }

    /** A kernel on the library this constant pins, if that is the one this JVM's netlib is bound to. */
    Gemm pinned(BlasGemm.Binding b) {
        if (!b.name().equals(id())) {
            String why;
            if (this == BLAS_SYSTEM) {
                why = NativeLibrary.systemPresent() ? "the system's BLAS did not load, or another backend was bound"
                        + " first in this JVM" : "no system BLAS found (netlib opens " + System.getProperty(
                                NativeLibrary.LIB, NativeLibrary.DEFAULT_LIB) + ")";
            } else {
                why = NativeLibrary.bundledAvailable() ? "another backend was bound first in this JVM"
                        : "this jar carries no OpenBLAS for " + NativeLibrary.platform();
            }
            throw new UserError("compute.backend = " + id() + ": this JVM runs " + b.name() + " (" + b.library()
                    + "): " + why);
        }
        return new BlasGemm(b);
    }
}
