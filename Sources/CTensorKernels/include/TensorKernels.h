#ifndef DEEPCRL_TENSOR_KERNELS_H
#define DEEPCRL_TENSOR_KERNELS_H

/// Vectorized Float32 kernels for the network hot path (DESIGN.md section 8).
/// Every function runs on a row-major buffer; `rows × cols` elements unless said otherwise.

/// y = x · sigmoid(x).
void dcrl_swish_forward(const float *x, float *y, long count);
/// dx = dy · d/dx[x · sigmoid(x)].
void dcrl_swish_backward(const float *x, const float *dy, float *dx, long count);
/// y = 1 / (1 + exp(-x)).
void dcrl_sigmoid(const float *x, float *y, long count);
/// y = exp(x): a polynomial (relative error ≈ 1e-7) on [-87, 88], libm's expf elsewhere.
void dcrl_exp(const float *x, float *y, long count);

/// Layer normalization over each row, then scale and offset, then (if `swish`) x · sigmoid(x).
/// Writes the row means and reciprocal standard deviations that the backward pass needs.
void dcrl_layer_norm_forward(const float *x, const float *scale, const float *offset, float *y,
                             float *mean, float *rstd, long rows, long cols, float epsilon, int swish);

/// Backward of `dcrl_layer_norm_forward`. Writes `dx`; adds into `dscale` and `doffset`.
/// `work` holds at least `cols` floats.
void dcrl_layer_norm_backward(const float *x, const float *scale, const float *offset,
                              const float *mean, const float *rstd, const float *dy, float *dx,
                              float *dscale, float *doffset, float *work, long rows, long cols,
                              int swish);

/// out[j] = Σ_r x[r][j] (the column sums of a rows × cols matrix).
void dcrl_column_sums(const float *x, float *out, long rows, long cols);
/// out[r] = Σ_j x[r][j], summed over 16 partial sums.
void dcrl_row_sums(const float *x, float *out, long rows, long cols);
/// out[r] = max_j x[r][j]; NaN if the row holds a NaN, -inf for an empty row.
void dcrl_row_maxima(const float *x, float *out, long rows, long cols);

/// out[r] = log Σ_j exp(x[r][j]), the row maximum subtracted first; NaN if the row holds a NaN.
void dcrl_row_logsumexp(const float *x, float *out, long rows, long cols);
/// dx[r][j] = g[r] · exp(x[r][j] − lse[r]): the backward of `dcrl_row_logsumexp`.
void dcrl_row_logsumexp_backward(const float *x, const float *lse, const float *g, float *dx, long rows, long cols);

/// d[i][j] = sqrt(max(na[i] + nb[j] − 2 d[i][j], 0)) in place: Euclidean distances from squared
/// row norms and the Gram matrix (NaN stays NaN).
void dcrl_pairwise_distance_finish(float *d, const float *na, const float *nb, long rows, long cols);
/// q[i][j] = g[i][j] / d[i][j] (0 where d[i][j] is not positive), with q's row and column sums.
void dcrl_pairwise_distance_backward(const float *g, const float *d, float *q, float *row_sums, float *column_sums,
                                     long rows, long cols);

/// One Adam step over `count` elements: m, v updated in place, then
/// p -= lr · (m / c1 / (sqrt(v / c2) + eps) + weightDecay · p), with the gradient scaled by `scale`.
void dcrl_adam_update(float *p, const float *g, float *m, float *v, long count, float lr, float beta1,
                      float beta2, float eps, float weightDecay, float c1, float c2, float scale);

/// Makes glibc serve allocations below 32 MiB from its heap and keep freed memory (no-op elsewhere).
void dcrl_keep_freed_memory(void);
/// Returns the freed memory glibc's heap keeps to the system (no-op elsewhere).
void dcrl_return_freed_memory(void);

#endif
