// A conv2d layer lowered onto the Gemm seam: im2col of a block of examples, then ONE product per block, so a
// native BLAS sees large matrices (double here, the float twin in FloatConv2d).
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * Input (C, H, W) and output (F, OH, OW) per example, CHW inside each example's column. With K = C·k·k and
 * P = OH·OW, a block of b examples is lowered to cols: (K × b·P), column j = example·P + (oy·OW + ox), row
 * r = (c·k + ky)·k + kx; W is stored (K × F) (PyTorch's (F, C, k, k) order), so
 * <pre>
 *   forward:  tile (F × b·P) = Wᵀ · cols;          z = tile transposed per example into (F, P), + b
 *   backward: tile = δ transposed back;  dW += cols · tileᵀ;  db += Σ δ;  dCols = W · tile;  dIn += col2im(dCols)
 * </pre>
 * Blocks hold at most {@link #BLOCK_VALUES} values of cols or tile, so scratch stays bounded for any batch.
 */
final class Conv2d {
    /** Upper bound on K·b·P and F·b·P (values) of one block: 32 MB of doubles. */
    static final int BLOCK_VALUES = 1 << 22;

    final Shape in;
    final Shape out;
    final int k;
    final int stride;
    final int pad;
    /** K = C·k·k rows of cols; P = OH·OW output pixels per example. */
    final int kk;
    final int pixels;
    /** Values one block of cols or tile may hold ({@link Conv2d#BLOCK_VALUES}; tests pass less to force blocks). */
    final int blockValues;

    Conv2d(Shape in, Shape out, LayerSpec s, int blockValues) {
        this.blockValues = blockValues;
        this.in = in;
        this.out = out;
        this.k = s.kernel();
        this.stride = s.stride();
        this.pad = s.padding();
        this.kk = in.channels() * k * k;
        this.pixels = out.height() * out.width();
    }

    /** Examples per block for a batch of n rows. */
    int block(int n) {
        long perExample = (long) Math.max(kk, out.channels()) * pixels;
        return (int) Math.max(1, Math.min(n, blockValues / perExample));
    }

    /** Scratch values for cols (also dCols) and for tile, for a batch of n rows. */
    long colsSize(int n) {
        return (long) kk * pixels * block(n);
    }

    long tileSize(int n) {
        return (long) out.channels() * pixels * block(n);
    }

    /** cols (K × b·P) of examples [first, first + b) of x. */
    void im2col(double[] x, int first, int b, double[] cols) {
        int c0 = in.channels(), h = in.height(), w = in.width(), ow = out.width();
        int inSize = in.size();
        int j = 0;
        for (int e = first; e < first + b; e++) {
            int base = e * inSize;
            for (int q = 0; q < pixels; q++, j++) {
                int y0 = (q / ow) * stride - pad;
                int x0 = (q % ow) * stride - pad;
                int r = j * kk;
                for (int c = 0; c < c0; c++) {
                    int plane = base + c * h * w;
                    for (int ky = 0; ky < k; ky++) {
                        int y = y0 + ky;
                        boolean rowIn = y >= 0 && y < h;
                        for (int kx = 0; kx < k; kx++, r++) {
                            int xx = x0 + kx;
                            cols[r] = rowIn && xx >= 0 && xx < w ? x[plane + y * w + xx] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** dIn (examples [first, first + b)) += the values of dCols put back where im2col took them. */
    void col2im(double[] dCols, int first, int b, double[] dIn) {
        int c0 = in.channels(), h = in.height(), w = in.width(), ow = out.width();
        int inSize = in.size();
        int j = 0;
        for (int e = first; e < first + b; e++) {
            int base = e * inSize;
            for (int q = 0; q < pixels; q++, j++) {
                int y0 = (q / ow) * stride - pad;
                int x0 = (q % ow) * stride - pad;
                int r = j * kk;
                for (int c = 0; c < c0; c++) {
                    int plane = base + c * h * w;
                    for (int ky = 0; ky < k; ky++) {
                        int y = y0 + ky;
                        boolean rowIn = y >= 0 && y < h;
                        for (int kx = 0; kx < k; kx++, r++) {
                            int xx = x0 + kx;
                            if (rowIn && xx >= 0 && xx < w) {
                                dIn[plane + y * w + xx] += dCols[r];
                            }
                        }
                    }
                }
            }
        }
    }

    /** z (F·P per example) = conv(x) + b for n examples; W at wOff, b at bOff of params. */
    void forward(double[] z, double[] params, int wOff, int bOff, double[] x, int n, double[] cols, double[] tile,
                 Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            im2col(x, first, b, cols);
            gemm.gemm(true, false, f, b * pixels, kk, params, wOff, cols, 0, 0.0, tile, 0);
            for (int e = 0; e < b; e++) {
                int zBase = (first + e) * f * pixels;
                for (int q = 0; q < pixels; q++) {
                    int t = (e * pixels + q) * f;
                    for (int c = 0; c < f; c++) {
                        z[zBase + c * pixels + q] = tile[t + c] + params[bOff + c];
                    }
                }
            }
        }
    }

    /**
     * Given delta = ∂loss/∂z: grad[W] += cols·tileᵀ, grad[b] += Σ delta; dIn (when not null) = ∂loss/∂x,
     * overwritten.
     */
    void backward(double[] dIn, double[] grad, double[] delta, double[] params, int wOff, int bOff, double[] x,
                  int n, double[] cols, double[] tile, Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        if (dIn != null) {
            java.util.Arrays.fill(dIn, 0, n * in.size(), 0.0);
        }
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            for (int e = 0; e < b; e++) {
                int dBase = (first + e) * f * pixels;
                for (int q = 0; q < pixels; q++) {
                    int t = (e * pixels + q) * f;
                    for (int c = 0; c < f; c++) {
                        double d = delta[dBase + c * pixels + q];
                        tile[t + c] = d;
                        grad[bOff + c] += d;
                    }
                }
            }
            im2col(x, first, b, cols);
            gemm.gemm(false, true, kk, f, b * pixels, cols, 0, tile, 0, 1.0, grad, wOff);
            if (dIn != null) {
                gemm.gemm(false, false, kk, b * pixels, f, params, wOff, tile, 0, 0.0, cols, 0);
                col2im(cols, first, b, dIn);
            }
        }
    }
}
