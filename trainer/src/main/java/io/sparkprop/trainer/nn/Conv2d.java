// A conv2d layer lowered onto the Gemm seam: im2col of a block of examples, then ONE product per block, so a
// native BLAS sees large matrices (double here, the float twin in FloatConv2d).
package io.sparkprop.trainer.nn;

import java.util.Arrays;

import io.sparkprop.trainer.kernel.Gemm;

/**
 * Input (C, H, W) and output (F, OH, OW) per example, CHW inside each example's column. With K = C·k·k and
 * P = OH·OW, a block of b examples is lowered to cols: (b·P × K) column-major, row j = example·P + (oy·OW + ox),
 * column r = (c·k + ky)·k + kx, so each column is a run of shifted input rows (copied, not gathered). W is stored
 * (K × F) column-major, which is PyTorch's (F, C, k, k) weight in row-major order. Then
 * <pre>
 *   forward:  tile (b·P × F) = cols · W;   z = tile's runs of P values per (example, filter), + b (relu fused)
 *   backward: tile = δ's runs;  dW += colsᵀ · tile;  db += Σ δ;  dCols = tile · Wᵀ;  dIn += col2im(dCols)
 * </pre>
 * A block holds at most {@link #BLOCK_VALUES} values of cols or tile, so scratch stays bounded for any batch and
 * stays in cache between the passes over it.
 */
final class Conv2d {
    /**
     * Upper bound on K·b·P and F·b·P (values) of one block: 1 MB of floats, so cols and tile of a block stay in
     * a core's L2 cache from im2col through the product to the bias, relu and col2im passes.
     */
    static final int BLOCK_VALUES = 1 << 18;

    final Shape in;
    final Shape out;
    final int k;
    final int stride;
    final int pad;
    /** K = C·k·k columns of cols; P = OH·OW output pixels per example. */
    final int kk;
    final int pixels;
    /** Values one block of cols or tile may hold ({@link #BLOCK_VALUES}; tests pass less to force blocks). */
    final int blockValues;
    /** relu is applied as the output is written (forward) and its derivative as δ is read (backward). */
    final boolean relu;

    Conv2d(Shape in, Shape out, LayerSpec s, int blockValues) {
        this.blockValues = blockValues;
        this.in = in;
        this.out = out;
        this.k = s.kernel();
        this.stride = s.stride();
        this.pad = s.padding();
        this.kk = in.channels() * k * k;
        this.pixels = out.height() * out.width();
        this.relu = s.activation() == Activation.RELU;
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

    /** First ox whose input column ox·stride − pad + kx is ≥ 0, and one past the last that is < W. */
    private int oxFrom(int kx) {
        int need = pad - kx; // ox·stride ≥ need
        return need <= 0 ? 0 : Math.min(out.width(), (need + stride - 1) / stride);
    }

    private int oxTo(int kx) {
        int limit = in.width() + pad - kx; // ox·stride < limit
        return limit <= 0 ? 0 : Math.max(0, Math.min(out.width(), (limit + stride - 1) / stride));
    }

    /** cols (b·P × K) of examples [first, first + b) of x. */
    void im2col(double[] x, int first, int b, double[] cols) {
        int c0 = in.channels(), h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        int rows = b * pixels;
        for (int c = 0; c < c0; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int col = ((c * k + ky) * k + kx) * rows;
                    int from = oxFrom(kx);
                    int to = Math.max(from, oxTo(kx));
                    for (int e = 0; e < b; e++) {
                        int plane = (first + e) * in.size() + c * h * w;
                        for (int oy = 0; oy < oh; oy++) {
                            int dst = col + e * pixels + oy * ow;
                            int y = oy * stride - pad + ky;
                            if (y < 0 || y >= h) {
                                Arrays.fill(cols, dst, dst + ow, 0.0);
                                continue;
                            }
                            // the padding's few values: a loop, cheaper than Arrays.fill's call here
                            for (int i = dst; i < dst + from; i++) cols[i] = 0.0;
                            int src = plane + y * w + from * stride - pad + kx;
                            if (to == from) {
                                // no input column in range for this kx
                            } else if (stride == 1) {
                                System.arraycopy(x, src, cols, dst + from, to - from);
                            } else {
                                for (int ox = from; ox < to; ox++, src += stride) cols[dst + ox] = x[src];
                            }
                            for (int i = dst + to; i < dst + ow; i++) cols[i] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /** dIn (examples [first, first + b)) += the values of dCols put back where im2col took them. */
    void col2im(double[] dCols, int first, int b, double[] dIn) {
        int c0 = in.channels(), h = in.height(), w = in.width(), oh = out.height(), ow = out.width();
        int rows = b * pixels;
        for (int c = 0; c < c0; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int col = ((c * k + ky) * k + kx) * rows;
                    int from = oxFrom(kx);
                    int to = oxTo(kx);
                    for (int e = 0; e < b; e++) {
                        int plane = (first + e) * in.size() + c * h * w;
                        for (int oy = 0; oy < oh; oy++) {
                            int y = oy * stride - pad + ky;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            int src = col + e * pixels + oy * ow;
                            int dst = plane + y * w + from * stride - pad + kx;
                            if (stride == 1) {
                                int d0 = dst - from;
                                for (int ox = from; ox < to; ox++) dIn[d0 + ox] += dCols[src + ox];
                            } else {
                                for (int ox = from; ox < to; ox++, dst += stride) dIn[dst] += dCols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * z (F·P per example) = conv(x) + b for n examples, or with relu a = max(conv(x) + b, 0) (the layer's output,
     * its z is not kept); W at wOff, b at bOff of params. The bias and relu are applied while each run of P
     * values moves from tile to z, not in passes of their own.
     */
    void forward(double[] z, double[] params, int wOff, int bOff, double[] x, int n, double[] cols, double[] tile,
                 Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            im2col(x, first, b, cols);
            gemm.gemm(false, false, rows, f, kk, cols, 0, params, wOff, 0.0, tile, 0);
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int src = c * rows + e * pixels;
                    int dst = ((first + e) * f + c) * pixels;
                    double bias = params[bOff + c];
                    if (relu) {
                        for (int q = 0; q < pixels; q++) z[dst + q] = Math.max(tile[src + q] + bias, 0.0);
                    } else {
                        for (int q = 0; q < pixels; q++) z[dst + q] = tile[src + q] + bias;
                    }
                }
            }
        }
    }

    /**
     * Given dOut = ∂loss/∂(the layer's output) and, with relu, that output a: δ = ∂loss/∂z (dOut where a &gt; 0
     * under relu), taken into tile as it is read; grad[W] += colsᵀ·tile, grad[b] += Σ δ; dIn (when not null) =
     * ∂loss/∂x, overwritten.
     */
    void backward(double[] dIn, double[] grad, double[] dOut, double[] params, int wOff, int bOff, double[] x,
                  double[] a, int n, double[] cols, double[] tile, Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int src = ((first + e) * f + c) * pixels;
                    int dst = c * rows + e * pixels;
                    double sum = 0;
                    if (relu) {
                        for (int q = 0; q < pixels; q++) {
                            double d = Double.longBitsToDouble(Double.doubleToRawLongBits(dOut[src + q])
                                    & Activation.positive(a[src + q]));
                            tile[dst + q] = d;
                            sum += d;
                        }
                    } else {
                        for (int q = 0; q < pixels; q++) {
                            double d = dOut[src + q];
                            tile[dst + q] = d;
                            sum += d;
                        }
                    }
                    grad[bOff + c] += sum;
                }
            }
            im2col(x, first, b, cols);
            gemm.gemm(true, false, kk, f, rows, cols, 0, tile, 0, 1.0, grad, wOff);
            if (dIn != null) {
                // this block's examples of dIn are cleared here, just before col2im adds into them (in cache)
                Arrays.fill(dIn, first * in.size(), (first + b) * in.size(), 0.0);
                gemm.gemm(false, true, rows, kk, f, tile, 0, params, wOff, 0.0, cols, 0);
                col2im(cols, first, b, dIn);
            }
        }
    }
}
