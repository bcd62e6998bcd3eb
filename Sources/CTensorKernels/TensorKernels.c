// Hot elementwise and normalization kernels.
//
// Layout choices (measured in DESIGN.md section 8): plain C compiled at -O2 vectorizes these loops
// when reductions use 16 independent partial sums (no -ffast-math needed, so NaN checks still work)
// and exp is a polynomial instead of a libm call. `target_clones` compiles each kernel for AVX-512,
// AVX2+FMA and baseline x86-64 and picks one at load time, so no -march flag is needed.
#include "TensorKernels.h"
#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__x86_64__) && defined(__linux__) && (defined(__clang__) || defined(__GNUC__))
#define DCRL_DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DCRL_DISPATCH
#endif

#define LANES 16

// A square root without libm's errno path, which keeps a loop from vectorizing; its callers
// only take roots of non-negative values (a NaN stays NaN either way).
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define DCRL_SQRT(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef DCRL_SQRT
#define DCRL_SQRT(x) sqrtf(x)
#endif

// exp(x) by range reduction x = n·ln2 + r and a degree-6 polynomial for exp(r) (Cephes' expf
// coefficients, relative error ≈ 1e-7). The input is clamped to avoid overflow; the clamps are
// written so that a NaN passes through them (a comparison with NaN is false), and stays NaN.
static inline float poly_exp(float x) {
    float c = -87.0f > x ? -87.0f : x;
    c = 88.0f < c ? 88.0f : c;
    const float rounder = 12582912.0f; // 1.5 · 2^23: adding it rounds to the nearest integer
    float n = (c * 1.44269504088896341f + rounder) - rounder;
    float r = c - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    union { int i; float f; } scale;
    scale.i = ((int)n + 127) << 23;
    return p * scale.f;
}

static inline float sigmoid1(float x) { return 1.0f / (1.0f + poly_exp(-x)); }
static inline float swish1(float x) { return x / (1.0f + poly_exp(-x)); }

DCRL_DISPATCH
void dcrl_swish_forward(const float *x, float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = swish1(x[i]);
}

DCRL_DISPATCH
void dcrl_swish_backward(const float *x, const float *dy, float *dx, long count) {
    for (long i = 0; i < count; i++) {
        float s = sigmoid1(x[i]);
        dx[i] = dy[i] * (s + x[i] * s * (1.0f - s));
    }
}

DCRL_DISPATCH
void dcrl_sigmoid(const float *x, float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = sigmoid1(x[i]);
}

DCRL_DISPATCH
void dcrl_exp(const float *x, float *y, long count) {
    int outside = 0;
    for (long i = 0; i < count; i++) {
        y[i] = poly_exp(x[i]);
        outside |= !(x[i] >= -87.0f && x[i] <= 88.0f);
    }
    // Outside the polynomial's range (overflow to inf, results below the normal range, NaN) libm
    // decides, so the kernel agrees with expf there.
    if (outside)
        for (long i = 0; i < count; i++)
            if (!(x[i] >= -87.0f && x[i] <= 88.0f)) y[i] = expf(x[i]);
}

// e^x for x ≤ 88 where results below e^-87 (≈ 1.6e-38) may be taken as 0: the terms of a sum
// whose largest term is 1.
static inline float poly_exp_flush(float x) { return x < -87.0f ? 0.0f : poly_exp(x); }

// The sum of LANES partial sums, added pairwise (a shuffle tree once vectorized).
static inline float sum_lanes(const float *acc) {
    float t[LANES / 2];
    for (int l = 0; l < LANES / 2; l++) t[l] = acc[l] + acc[l + LANES / 2];
    for (int w = LANES / 4; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) t[l] += t[l + w];
    return t[0];
}

DCRL_DISPATCH
void dcrl_layer_norm_forward(const float *x, const float *scale, const float *offset, float *y,
                             float *mean, float *rstd, long rows, long cols, float epsilon, int swish) {
    const long full = cols - cols % LANES;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float acc[LANES] = {0};
        for (long j = 0; j < full; j += LANES)
            for (int l = 0; l < LANES; l++) acc[l] += xr[j + l];
        float sum = sum_lanes(acc);
        for (long j = full; j < cols; j++) sum += xr[j];
        const float m = sum / (float)cols;
        float acc2[LANES] = {0};
        for (long j = 0; j < full; j += LANES)
            for (int l = 0; l < LANES; l++) {
                float d = xr[j + l] - m;
                acc2[l] += d * d;
            }
        float sq = sum_lanes(acc2);
        for (long j = full; j < cols; j++) sq += (xr[j] - m) * (xr[j] - m);
        const float s = 1.0f / sqrtf(sq / (float)cols + epsilon);
        mean[r] = m;
        rstd[r] = s;
        if (swish) {
            for (long j = 0; j < cols; j++) {
                yr[j] = swish1((xr[j] - m) * s * scale[j] + offset[j]);
            }
        } else {
            for (long j = 0; j < cols; j++) yr[j] = (xr[j] - m) * s * scale[j] + offset[j];
        }
    }
}

DCRL_DISPATCH
void dcrl_layer_norm_backward(const float *x, const float *scale, const float *offset,
                              const float *mean, const float *rstd, const float *dy, float *dx,
                              float *dscale, float *doffset, float *work, long rows, long cols,
                              int swish) {
    const long full = cols - cols % LANES;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        const float *dyr = dy + r * cols;
        float *dxr = dx + r * cols;
        const float m = mean[r], s = rstd[r];
        // work[j] = dL/dz_j · scale_j, where z is the normalized, scaled, shifted value.
        if (swish) {
            for (long j = 0; j < cols; j++) {
                float xhat = (xr[j] - m) * s;
                float z = xhat * scale[j] + offset[j];
                float sg = sigmoid1(z);
                float dz = dyr[j] * (sg + z * sg * (1.0f - sg));
                dscale[j] += dz * xhat;
                doffset[j] += dz;
                work[j] = dz * scale[j];
            }
        } else {
            for (long j = 0; j < cols; j++) {
                float xhat = (xr[j] - m) * s;
                dscale[j] += dyr[j] * xhat;
                doffset[j] += dyr[j];
                work[j] = dyr[j] * scale[j];
            }
        }
        float accG[LANES] = {0}, accGX[LANES] = {0};
        for (long j = 0; j < full; j += LANES)
            for (int l = 0; l < LANES; l++) {
                float g = work[j + l];
                accG[l] += g;
                accGX[l] += g * (xr[j + l] - m) * s;
            }
        float sumG = sum_lanes(accG), sumGX = sum_lanes(accGX);
        for (long j = full; j < cols; j++) {
            sumG += work[j];
            sumGX += work[j] * (xr[j] - m) * s;
        }
        const float a = sumG / (float)cols, b = sumGX / (float)cols;
        for (long j = 0; j < cols; j++) dxr[j] = s * (work[j] - a - (xr[j] - m) * s * b);
    }
}

DCRL_DISPATCH
void dcrl_column_sums(const float *x, float *out, long rows, long cols) {
    for (long j = 0; j < cols; j++) out[j] = 0.0f;
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        for (long j = 0; j < cols; j++) out[j] += xr[j];
    }
}

DCRL_DISPATCH
void dcrl_row_sums(const float *x, float *out, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float partial[LANES] = {0};
        long j = 0;
        for (; j + LANES <= cols; j += LANES)
            for (int l = 0; l < LANES; l++) partial[l] += xr[j + l];
        float total = sum_lanes(partial);
        for (; j < cols; j++) total += xr[j];
        out[r] = total;
    }
}

// The largest of `cols` values; NaN if one is NaN, -inf if there are none.
static inline float row_maximum(const float *xr, long cols) {
    float best = -INFINITY;
    int nan = 0;
    for (long j = 0; j < cols; j++) {
        nan |= xr[j] != xr[j];
        best = xr[j] > best ? xr[j] : best;
    }
    return nan ? NAN : best;
}

DCRL_DISPATCH
void dcrl_row_maxima(const float *x, float *out, long rows, long cols) {
    for (long r = 0; r < rows; r++) out[r] = row_maximum(x + r * cols, cols);
}

DCRL_DISPATCH
void dcrl_row_logsumexp(const float *x, float *out, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        const float best = row_maximum(xr, cols);
        if (best != best) {
            out[r] = NAN;
        } else if (!isfinite(best)) {
            // Every entry -inf (the result is -inf) or some +inf (inf): libm, without a shift.
            float sum = 0.0f;
            for (long j = 0; j < cols; j++) sum += expf(xr[j]);
            out[r] = logf(sum);
        } else {
            float partial[LANES] = {0};
            long j = 0;
            for (; j + LANES <= cols; j += LANES)
                for (int l = 0; l < LANES; l++) partial[l] += poly_exp_flush(xr[j + l] - best);
            float sum = sum_lanes(partial);
            for (; j < cols; j++) sum += poly_exp_flush(xr[j] - best);
            out[r] = logf(sum) + best;
        }
    }
}

DCRL_DISPATCH
void dcrl_row_logsumexp_backward(const float *x, const float *lse, const float *g, float *dx, long rows,
                                 long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *dxr = dx + r * cols;
        const float m = lse[r], gr = g[r];
        if (isfinite(m)) {
            for (long j = 0; j < cols; j++) dxr[j] = gr * poly_exp_flush(xr[j] - m);
        } else {
            for (long j = 0; j < cols; j++) dxr[j] = gr * expf(xr[j] - m);
        }
    }
}

DCRL_DISPATCH
void dcrl_pairwise_distance_finish(float *d, const float *na, const float *nb, long rows, long cols) {
    for (long i = 0; i < rows; i++) {
        float *di = d + i * cols;
        const float a = na[i];
        for (long j = 0; j < cols; j++) {
            float v = (a + nb[j]) - 2.0f * di[j];
            v = v < 0.0f ? 0.0f : v;
            di[j] = DCRL_SQRT(v);
        }
    }
}

DCRL_DISPATCH
void dcrl_pairwise_distance_backward(const float *restrict g, const float *restrict d, float *restrict q,
                                     float *restrict row_sums, float *restrict column_sums, long rows, long cols) {
    for (long j = 0; j < cols; j++) column_sums[j] = 0.0f;
    for (long i = 0; i < rows; i++) {
        const float *gi = g + i * cols, *di = d + i * cols;
        float *qi = q + i * cols;
        float partial[LANES] = {0};
        long j = 0;
        for (; j + LANES <= cols; j += LANES)
            for (int l = 0; l < LANES; l++) {
                float v = di[j + l] > 0.0f ? gi[j + l] / di[j + l] : 0.0f;
                qi[j + l] = v;
                partial[l] += v;
                column_sums[j + l] += v;
            }
        float sum = sum_lanes(partial);
        for (; j < cols; j++) {
            float v = di[j] > 0.0f ? gi[j] / di[j] : 0.0f;
            qi[j] = v;
            sum += v;
            column_sums[j] += v;
        }
        row_sums[i] = sum;
    }
}

DCRL_DISPATCH
void dcrl_adam_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long count,
                      float lr, float beta1, float beta2, float eps, float weightDecay, float c1, float c2,
                      float scale) {
    for (long i = 0; i < count; i++) {
        float gi = g[i] * scale;
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float mHat = mi / c1, vHat = vi / c2;
        p[i] -= lr * (mHat / (DCRL_SQRT(vHat) + eps) + weightDecay * p[i]);
    }
}

void dcrl_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
    mallopt(M_ARENA_MAX, 1);
#endif
}

void dcrl_return_freed_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
