// Matrix products with bfloat16 operands and float32 accumulation, on oneDNN's matmul: the
// operands are rounded to bfloat16 (to nearest, ties to even) into per-thread scratch buffers,
// then multiplied by a matmul primitive built once per shape in each thread.
#include "GEMM.h"

#if defined(__linux__) && defined(__x86_64__)
#include <dnnl.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

int omp_get_max_threads(void);

static atomic_bool bfloat16_on = false;

static bool supported;
static pthread_once_t supported_once = PTHREAD_ONCE_INIT;

static void check_support(void) {
    __builtin_cpu_init();
    // Levels are bit masks (avx2_vnni's is numerically above avx512_core_bf16's): test the bits.
    unsigned isa = (unsigned)dnnl_get_effective_cpu_isa(), wanted = (unsigned)dnnl_cpu_isa_avx512_core_bf16;
    supported = __builtin_cpu_supports("avx512bf16") && (isa & wanted) == wanted;
}

bool gemm_bfloat16_supported(void) {
    pthread_once(&supported_once, check_support);
    return supported;
}

int gemm_set_bfloat16(bool on) {
    if (on && !gemm_bfloat16_supported()) return 1;
    atomic_store_explicit(&bfloat16_on, on, memory_order_relaxed);
    return 0;
}

bool gemm_bfloat16(void) { return atomic_load_explicit(&bfloat16_on, memory_order_relaxed); }

// Round to nearest even, as VCVTNEPS2BF16 does; NaNs stay NaNs.
static uint16_t bfloat16_of(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

__attribute__((target("avx512f,avx512bf16"))) static void convert(const float *source, uint16_t *target, int64_t count) {
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256bh packed = _mm512_cvtneps_pbh(_mm512_loadu_ps(source + i));
        _mm256_storeu_si256((__m256i *)(target + i), (__m256i)packed);
    }
    for (; i < count; i++) target[i] = bfloat16_of(source[i]);
}

// One thread's matmul primitives (one per shape) and scratch buffers.
enum { cached_shapes = 32 };
typedef struct {
    bool transpose_a, transpose_b;
    int threads;  // oneDNN divides the work among this many threads when the primitive is made
    int64_t m, n, k;
    float alpha, beta;
    dnnl_primitive_t primitive;
    dnnl_memory_t a, b, c;
} Shape;

typedef struct {
    dnnl_stream_t stream;
    Shape shapes[cached_shapes];
    int count, next;  // entries in use; the one to replace when full
    uint16_t *scratch[2];
    int64_t capacity[2];
} ThreadState;

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static pthread_key_t state_key;

static void release_shape(Shape *shape) {
    dnnl_primitive_destroy(shape->primitive);
    dnnl_memory_destroy(shape->a);
    dnnl_memory_destroy(shape->b);
    dnnl_memory_destroy(shape->c);
}

static void release_state(void *pointer) {
    ThreadState *state = pointer;
    for (int i = 0; i < state->count; i++) release_shape(&state->shapes[i]);
    if (state->stream) dnnl_stream_destroy(state->stream);
    free(state->scratch[0]);
    free(state->scratch[1]);
    free(state);
}

static void make_engine(void) {
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = NULL;
    pthread_key_create(&state_key, release_state);
}

static ThreadState *thread_state(void) {
    pthread_once(&engine_once, make_engine);
    if (!engine) return NULL;
    ThreadState *state = pthread_getspecific(state_key);
    if (state) return state;
    state = calloc(1, sizeof *state);
    if (!state) return NULL;
    if (dnnl_stream_create(&state->stream, engine, dnnl_stream_default_flags) != dnnl_success) {
        free(state);
        return NULL;
    }
    pthread_setspecific(state_key, state);
    return state;
}

static uint16_t *scratch(ThreadState *state, int which, int64_t count) {
    if (state->capacity[which] < count) {
        uint16_t *grown = realloc(state->scratch[which], (size_t)count * sizeof(uint16_t));
        if (!grown) return NULL;
        state->scratch[which] = grown;
        state->capacity[which] = count;
    }
    return state->scratch[which];
}

// The primitive for this shape, built on first use.
static Shape *shape(ThreadState *state, bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                    float beta) {
    int threads = omp_get_max_threads();
    for (int i = 0; i < state->count; i++) {
        Shape *s = &state->shapes[i];
        if (s->transpose_a == transpose_a && s->transpose_b == transpose_b && s->threads == threads && s->m == m && s->n == n
            && s->k == k && s->alpha == alpha && s->beta == beta)
            return s;
    }
    dnnl_memory_desc_t a, b, c;
    dnnl_dims_t a_dims = {m, k}, b_dims = {k, n}, c_dims = {m, n};
    dnnl_dims_t a_strides = {transpose_a ? 1 : k, transpose_a ? m : 1};
    dnnl_dims_t b_strides = {transpose_b ? 1 : n, transpose_b ? k : 1};
    if (dnnl_memory_desc_init_by_strides(&a, 2, a_dims, dnnl_bf16, a_strides) != dnnl_success
        || dnnl_memory_desc_init_by_strides(&b, 2, b_dims, dnnl_bf16, b_strides) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&c, 2, c_dims, dnnl_f32, dnnl_ab) != dnnl_success)
        return NULL;
    dnnl_matmul_desc_t description;
    if (dnnl_matmul_desc_init(&description, &a, &b, NULL, &c) != dnnl_success) return NULL;
    dnnl_primitive_attr_t attributes;
    dnnl_post_ops_t post_ops;
    if (dnnl_primitive_attr_create(&attributes) != dnnl_success) return NULL;
    dnnl_post_ops_create(&post_ops);
    if (beta != 0) dnnl_post_ops_append_sum(post_ops, beta);
    dnnl_primitive_attr_set_post_ops(attributes, post_ops);
    if (alpha != 1) dnnl_primitive_attr_set_output_scales(attributes, 1, 0, &alpha);
    dnnl_primitive_desc_t primitive_description;
    dnnl_status_t status = dnnl_primitive_desc_create(&primitive_description, &description, attributes, engine, NULL);
    dnnl_post_ops_destroy(post_ops);
    dnnl_primitive_attr_destroy(attributes);
    if (status != dnnl_success) return NULL;
    Shape made = {transpose_a, transpose_b, threads, m, n, k, alpha, beta, NULL, NULL, NULL, NULL};
    status = dnnl_primitive_create(&made.primitive, primitive_description);
    dnnl_primitive_desc_destroy(primitive_description);
    if (status != dnnl_success) return NULL;
    if (dnnl_memory_create(&made.a, &a, engine, DNNL_MEMORY_NONE) != dnnl_success
        || dnnl_memory_create(&made.b, &b, engine, DNNL_MEMORY_NONE) != dnnl_success
        || dnnl_memory_create(&made.c, &c, engine, DNNL_MEMORY_NONE) != dnnl_success) {
        release_shape(&made);
        return NULL;
    }
    Shape *slot;
    if (state->count < cached_shapes) {
        slot = &state->shapes[state->count++];
    } else {
        slot = &state->shapes[state->next];
        state->next = (state->next + 1) % cached_shapes;
        release_shape(slot);
    }
    *slot = made;
    return slot;
}

int gemm_multiply_bfloat16(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                           const float *a, const float *b, float beta, float *c) {
    if (!gemm_bfloat16_supported()) return 1;  // the conversion's instructions would fault
    ThreadState *state = thread_state();
    if (!state) return 1;
    uint16_t *a16 = scratch(state, 0, m * k), *b16 = scratch(state, 1, k * n);
    if (!a16 || !b16) return 2;
    Shape *s = shape(state, transpose_a, transpose_b, m, n, k, alpha, beta);
    if (!s) return 3;
    convert(a, a16, m * k);
    convert(b, b16, k * n);
    dnnl_memory_set_data_handle(s->a, a16);
    dnnl_memory_set_data_handle(s->b, b16);
    dnnl_memory_set_data_handle(s->c, c);
    dnnl_exec_arg_t arguments[3] = {{DNNL_ARG_SRC, s->a}, {DNNL_ARG_WEIGHTS, s->b}, {DNNL_ARG_DST, s->c}};
    if (dnnl_primitive_execute(s->primitive, state->stream, 3, arguments) != dnnl_success) return 4;
    return dnnl_stream_wait(state->stream) == dnnl_success ? 0 : 5;
}

#else

bool gemm_bfloat16_supported(void) { return false; }
int gemm_set_bfloat16(bool on) { return on ? 1 : 0; }
bool gemm_bfloat16(void) { return false; }
int gemm_multiply_bfloat16(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
                           const float *a, const float *b, float beta, float *c) {
    return 1;
}

#endif
