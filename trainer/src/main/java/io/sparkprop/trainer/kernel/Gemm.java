// The seam behind every matrix product of the engine: C = op(A)·op(B) + beta·C on column-major arrays,
// in double (dgemm) or single (sgemm) precision.
package io.sparkprop.trainer.kernel;

/**
 * BLAS dgemm semantics without alpha: {@code C (m × n) = op(A) (m × k) · op(B) (k × n) + beta · C}.
 * Operands are column-major at an offset into a larger array (the flat parameter vector, or an ojAlgo
 * {@code R064Store.data}); leading dimensions are the stored row counts (op(A) = Aᵀ means A is stored k × m).
 * A kernel instance may keep scratch space, so each thread uses its own.
 */
public interface Gemm {

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double[] a, int offA, double[] b, int offB, double beta, double[] c, int offC);

    /** The same product in single precision (sgemm), for compute.precision = float32. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC);

    /** What ran, for summary.json and the first progress line: "ojalgo", "blas-system", "blas-bundled", ... */
    String name();

    /**
     * What decides the bits of a product: the backend plus, for a native BLAS, its library and the CPU (and
     * OPENBLAS_CORETYPE) it picks kernels by. Two JVMs reporting the same string compute the same products.
     */
    default String kernel() {
        return name();
    }
}
