#include "GEMM.h"

#include <stdatomic.h>
#include <stdio.h>

#if defined(__linux__)
#include <dnnl.h>
// libgomp runs oneDNN's threads; its thread count is a setting of each calling thread.
int omp_get_max_threads(void);
void omp_set_num_threads(int count);
int omp_get_num_procs(void);
#else
#include <cblas.h>
#include <string.h>
#endif

static atomic_int thread_count = 0;  // 0 until set: one per core
static _Thread_local int thread_override = 0;  // 0: none
static _Thread_local int precision_override = 0;  // 0: none, 1: float32, 2: bfloat16

int gemm_exchange_precision_override(int precision) {
    int previous = precision_override;
    precision_override = precision;
    return previous;
}

int gemm_exchange_thread_override(int count) {
    int previous = thread_override;
    thread_override = count;
    return previous;
}

int gemm_thread_count(void) {
    int count = atomic_load_explicit(&thread_count, memory_order_relaxed);
#if defined(__linux__)
    return count > 0 ? count : omp_get_num_procs();
#else
    return count > 0 ? count : openblas_get_num_threads();
#endif
}

void gemm_set_thread_count(int count) {
    if (count < 1) count = 1;
    atomic_store_explicit(&thread_count, count, memory_order_relaxed);
#if !defined(__linux__)
    openblas_set_num_threads(count);
#endif
}

int gemm_multiply(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                  const float *a, const float *b, float beta, float *c) {
#if defined(__linux__)
    // Each calling thread (Dispatch workers too) carries its own OpenMP thread count: bring it in
    // line with the library's setting before the product.
    int wanted = thread_override > 0 ? thread_override : gemm_thread_count();
    if (omp_get_max_threads() != wanted) omp_set_num_threads(wanted);
    if (precision_override ? precision_override == 2 : gemm_bfloat16())
        return gemm_multiply_bfloat16(transpose_a, transpose_b, m, n, k, alpha, a, b, beta, c);
    return (int)dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k, alpha, a,
                           transpose_a ? m : k, b, transpose_b ? k : n, beta, c, n);
#else
    // OpenBLAS has one thread count for the process.
    int wanted = thread_override > 0 ? thread_override : gemm_thread_count();
    if (openblas_get_num_threads() != wanted) openblas_set_num_threads(wanted);
    cblas_sgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans,
                transpose_b ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, alpha,
                a, (blasint)(transpose_a ? m : k), b, (blasint)(transpose_b ? k : n), beta, c,
                (blasint)n);
    return 0;
#endif
}

int gemm_cpu_vector_bits(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 256;
#endif
    return 0;
}

#if defined(__linux__)

const char *gemm_backend_name(void) { return "oneDNN"; }

void gemm_backend_version(char *text, int capacity) {
    const dnnl_version_t *version = dnnl_version();
    snprintf(text, (size_t)capacity, "%d.%d.%d", version->major, version->minor, version->patch);
}

const char *gemm_kernel_name(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    default: return "generic";
    }
}

int gemm_kernel_vector_bits(void) { return gemm_isa_vector_bits((int)dnnl_get_effective_cpu_isa()); }

int gemm_isa_vector_bits(int isa) {
    switch ((dnnl_cpu_isa_t)isa) {
    case dnnl_cpu_isa_avx2:
    case dnnl_cpu_isa_avx2_vnni:
        return 256;
    case dnnl_cpu_isa_avx512_mic:
    case dnnl_cpu_isa_avx512_mic_4ops:
    case dnnl_cpu_isa_avx512_core:
    case dnnl_cpu_isa_avx512_core_vnni:
    case dnnl_cpu_isa_avx512_core_bf16:
    case dnnl_cpu_isa_avx512_core_amx:
        return 512;
    default:
        return 0;
    }
}

#else

const char *gemm_backend_name(void) { return "OpenBLAS"; }

void gemm_backend_version(char *text, int capacity) {
    // openblas_get_config() reads "OpenBLAS 0.3.21 DYNAMIC_ARCH ...": keep the second word.
    const char *config = openblas_get_config();
    const char *version = strchr(config, ' ');
    version = version ? version + 1 : config;
    snprintf(text, (size_t)capacity, "%.*s", (int)strcspn(version, " "), version);
}

const char *gemm_kernel_name(void) { return openblas_get_corename(); }

int gemm_kernel_vector_bits(void) {
    const char *name = openblas_get_corename();
    static const char *const wide[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
    static const char *const avx2[] = {"Haswell", "Zen"};
    for (unsigned i = 0; i < sizeof wide / sizeof *wide; i++)
        if (strcmp(name, wide[i]) == 0) return 512;
    for (unsigned i = 0; i < sizeof avx2 / sizeof *avx2; i++)
        if (strcmp(name, avx2[i]) == 0) return 256;
    return 0;
}

#endif
