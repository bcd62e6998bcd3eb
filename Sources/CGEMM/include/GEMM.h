// The matrix product behind the Tensor module, and what it runs on.
//
// On Linux the product is oneDNN's sgemm: its JIT compiles kernels for the instruction set cpuid
// reports (AVX2, AVX-512, ...), so CPUs newer than the library still get their full width. On
// Apple platforms it is OpenBLAS's cblas_sgemm.
#ifndef DEEPCRL_GEMM_H
#define DEEPCRL_GEMM_H

#include <stdbool.h>
#include <stdint.h>

/// c = alpha · op(a) · op(b) + beta · c on row-major buffers; op(a) is m × k, op(b) k × n.
/// Returns 0, or a nonzero status of the backend (out of memory, for example).
int gemm_multiply(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                  const float *a, const float *b, float beta, float *c);

/// Whether this CPU multiplies bfloat16 natively (AVX512-BF16) and the backend has kernels for it
/// (oneDNN on Linux x86-64).
bool gemm_bfloat16_supported(void);
/// Makes `gemm_multiply` round its operands to bfloat16 (products still accumulate and land in
/// float32) when `on`, in every thread. Returns 0, or 1 when `on` and bfloat16 is not supported.
int gemm_set_bfloat16(bool on);
/// Whether `gemm_multiply` rounds its operands to bfloat16.
bool gemm_bfloat16(void);
/// `gemm_multiply` with `a` and `b` rounded to bfloat16 (to nearest, ties to even) and float32
/// accumulation. Returns 0, or nonzero when bfloat16 is not supported or the backend failed.
int gemm_multiply_bfloat16(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                           const float *a, const float *b, float beta, float *c);

/// Threads each product uses from now on, in every calling thread (at least 1).
void gemm_set_thread_count(int count);
/// Threads each product uses: the last count set, or one per core.
int gemm_thread_count(void);

/// Threads the products called from this thread use instead of `gemm_thread_count()`, until set
/// back to 0; returns the previous value. For work that already occupies every core.
int gemm_exchange_thread_override(int count);

/// The precision products called from this thread use instead of the process's (1: float32,
/// 2: bfloat16), until set back to 0; returns the previous value.
int gemm_exchange_precision_override(int precision);

/// The library that runs the products ("oneDNN", "OpenBLAS").
const char *gemm_backend_name(void);
/// Writes its version ("2.6.3") into `text`, cut to `capacity` bytes with the terminating zero.
void gemm_backend_version(char *text, int capacity);
/// The kernel or instruction set it chose ("avx2", "avx512_core", "Haswell", ...).
const char *gemm_kernel_name(void);
/// The widest vector instructions of this CPU that a BLAS kernel uses: 512 (AVX-512 F), 256 (AVX2
/// with FMA), or 0 (neither, or not x86-64).
int gemm_cpu_vector_bits(void);
/// The vector width of the chosen kernel, on the same scale.
int gemm_kernel_vector_bits(void);

#if defined(__linux__)
/// The vector width of oneDNN's instruction-set level `isa` (a `dnnl_cpu_isa_t` value).
int gemm_isa_vector_bits(int isa);
#endif

#endif
