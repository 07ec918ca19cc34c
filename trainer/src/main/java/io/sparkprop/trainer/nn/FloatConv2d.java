// Conv2d's single-precision twin (compute.precision = float32): the same blocks and products as sgemm.
package io.sparkprop.trainer.nn;

import io.sparkprop.trainer.kernel.Gemm;

/** See {@link Conv2d}; the float path writes its gradient slice (first block overwrites, later ones add). */
final class FloatConv2d {

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

    FloatConv2d(Shape in, Shape out, LayerSpec s, int blockValues) {
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
    void im2col(float[] x, int first, int b, float[] cols) {
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
                            cols[r] = rowIn && xx >= 0 && xx < w ? x[plane + y * w + xx] : 0.0f;
                        }
                    }
                }
            }
        }
    }

    /** dIn (examples [first, first + b)) += the values of dCols put back where im2col took them. */
    void col2im(float[] dCols, int first, int b, float[] dIn) {
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
    void forward(float[] z, float[] params, int wOff, int bOff, float[] x, int n, float[] cols, float[] tile,
                 Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            im2col(x, first, b, cols);
            gemm.gemm(true, false, f, b * pixels, kk, params, wOff, cols, 0, 0.0f, tile, 0);
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

    /** Given delta = ∂loss/∂z: grad[W] = cols·tileᵀ, grad[b] = Σ delta (overwritten); dIn = ∂loss/∂x. */
    void backward(float[] dIn, float[] grad, float[] delta, float[] params, int wOff, int bOff, float[] x,
                  int n, float[] cols, float[] tile, Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        if (dIn != null) {
            java.util.Arrays.fill(dIn, 0, n * in.size(), 0.0f);
        }
        java.util.Arrays.fill(grad, bOff, bOff + f, 0.0f);
        if (n == 0) {
            java.util.Arrays.fill(grad, wOff, wOff + kk * f, 0.0f);
        }
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            for (int e = 0; e < b; e++) {
                int dBase = (first + e) * f * pixels;
                for (int q = 0; q < pixels; q++) {
                    int t = (e * pixels + q) * f;
                    for (int c = 0; c < f; c++) {
                        float d = delta[dBase + c * pixels + q];
                        tile[t + c] = d;
                        grad[bOff + c] += d;
                    }
                }
            }
            im2col(x, first, b, cols);
            gemm.gemm(false, true, kk, f, b * pixels, cols, 0, tile, 0, first == 0 ? 0.0f : 1.0f, grad, wOff);
            if (dIn != null) {
                gemm.gemm(false, false, kk, b * pixels, f, params, wOff, tile, 0, 0.0f, cols, 0);
                col2im(cols, first, b, dIn);
            }
        }
    }
}
