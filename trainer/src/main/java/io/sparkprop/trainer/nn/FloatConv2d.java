// Conv2d's single-precision twin (compute.precision = float32): the same blocks and products as sgemm.
package io.sparkprop.trainer.nn;

import java.util.Arrays;

import io.sparkprop.trainer.kernel.Gemm;

/** See {@link Conv2d}; the float path writes its gradient slice (first block overwrites, later ones add). */
final class FloatConv2d {
    final Shape in;
    final Shape out;
    final int k;
    final int stride;
    final int pad;
    /** K = C·k·k columns of cols; P = OH·OW output pixels per example. */
    final int kk;
    final int pixels;
    /** Values one block of cols or tile may hold ({@link Conv2d#BLOCK_VALUES}; tests pass less to force blocks). */
    final int blockValues;
    /** relu is applied as the output is written (forward) and its derivative as δ is read (backward). */
    final boolean relu;

    FloatConv2d(Shape in, Shape out, LayerSpec s, int blockValues) {
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
    void im2col(float[] x, int first, int b, float[] cols) {
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
                                Arrays.fill(cols, dst, dst + ow, 0.0f);
                                continue;
                            }
                            // the padding's few values: a loop, cheaper than Arrays.fill's call here
                            for (int i = dst; i < dst + from; i++) cols[i] = 0.0f;
                            int src = plane + y * w + from * stride - pad + kx;
                            if (to == from) {
                                // no input column in range for this kx
                            } else if (stride == 1) {
                                System.arraycopy(x, src, cols, dst + from, to - from);
                            } else {
                                for (int ox = from; ox < to; ox++, src += stride) cols[dst + ox] = x[src];
                            }
                            for (int i = dst + to; i < dst + ow; i++) cols[i] = 0.0f;
                        }
                    }
                }
            }
        }
    }

    /** dIn (examples [first, first + b)) += the values of dCols put back where im2col took them. */
    void col2im(float[] dCols, int first, int b, float[] dIn) {
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
    void forward(float[] z, float[] params, int wOff, int bOff, float[] x, int n, float[] cols, float[] tile,
                 Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            im2col(x, first, b, cols);
            gemm.gemm(false, false, rows, f, kk, cols, 0, params, wOff, 0.0f, tile, 0);
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int src = c * rows + e * pixels;
                    int dst = ((first + e) * f + c) * pixels;
                    float bias = params[bOff + c];
                    if (relu) {
                        for (int q = 0; q < pixels; q++) z[dst + q] = Math.max(tile[src + q] + bias, 0.0f);
                    } else {
                        for (int q = 0; q < pixels; q++) z[dst + q] = tile[src + q] + bias;
                    }
                }
            }
        }
    }

    /**
     * Given dOut = ∂loss/∂(the layer's output) and, with relu, that output a: δ = ∂loss/∂z (dOut where a &gt; 0
     * under relu), taken into tile as it is read; grad[W] = colsᵀ·tile, grad[b] = Σ δ (overwritten);
     * dIn = ∂loss/∂x.
     */
    void backward(float[] dIn, float[] grad, float[] dOut, float[] params, int wOff, int bOff, float[] x,
                  float[] a, int n, float[] cols, float[] tile, Gemm gemm) {
        int f = out.channels();
        int block = block(n);
        Arrays.fill(grad, bOff, bOff + f, 0.0f);
        if (n == 0) {
            Arrays.fill(grad, wOff, wOff + kk * f, 0.0f);
        }
        for (int first = 0; first < n; first += block) {
            int b = Math.min(block, n - first);
            int rows = b * pixels;
            for (int e = 0; e < b; e++) {
                for (int c = 0; c < f; c++) {
                    int src = ((first + e) * f + c) * pixels;
                    int dst = c * rows + e * pixels;
                    float sum = 0;
                    if (relu) {
                        for (int q = 0; q < pixels; q++) {
                            float d = Float.intBitsToFloat(Float.floatToRawIntBits(dOut[src + q])
                                    & Activation.positive(a[src + q]));
                            tile[dst + q] = d;
                            sum += d;
                        }
                    } else {
                        for (int q = 0; q < pixels; q++) {
                            float d = dOut[src + q];
                            tile[dst + q] = d;
                            sum += d;
                        }
                    }
                    grad[bOff + c] += sum;
                }
            }
            products(dIn, grad, params, wOff, x, first, b, cols, tile, gemm);
        }
    }

    /**
     * The backward's products for the block of b examples from first, given its δ in tile (F × b·P):
     * grad[W] (+)= colsᵀ·tile (overwritten by the first block), and dIn's block = col2im(tile·Wᵀ) when wanted.
     */
    void products(float[] dIn, float[] grad, float[] params, int wOff, float[] x, int first, int b, float[] cols,
                  float[] tile, Gemm gemm) {
        int f = out.channels();
        int rows = b * pixels;
        im2col(x, first, b, cols);
        gemm.gemm(true, false, kk, f, rows, cols, 0, tile, 0, first == 0 ? 0.0f : 1.0f, grad, wOff);
        if (dIn != null) {
            // this block's examples of dIn are cleared here, just before col2im adds into them (in cache)
            Arrays.fill(dIn, first * in.size(), (first + b) * in.size(), 0.0f);
            gemm.gemm(false, true, rows, kk, f, tile, 0, params, wOff, 0.0f, cols, 0);
            col2im(cols, first, b, dIn);
        }
    }
}
